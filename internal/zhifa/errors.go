// Package zhifa holds the domain vocabulary shared by every other package:
// error codes, roles, the acting user and the clock. It does no I/O.
package zhifa

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses in one place (internal/server).
const (
	EINVALID      = "invalid"      // bad input, shown next to the form
	ENOTFOUND     = "not_found"    // missing, or outside the user's town
	EFORBIDDEN    = "forbidden"    // the role may not do this
	EUNAUTHORIZED = "unauthorized" // not logged in, or bad credentials
	ECONFLICT     = "conflict"     // duplicate or stale
	ETHROTTLED    = "throttled"    // too many attempts
	EINTERNAL     = "internal"     // a bug or an outage: logged, never shown
)

// Error is an application error with a code and a message safe to show users
// (in Chinese). Internal errors are wrapped plainly instead.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("zhifa error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted, user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	var fe FieldErrors
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if errors.As(err, &fe) {
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of an application error, or a
// generic one for internal errors so nothing internal leaks to the page.
func ErrorMessage(err error) string {
	var e *Error
	var fe FieldErrors
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if errors.As(err, &fe) {
		return "填写的内容有误，请按提示修改后重新提交。"
	}
	return "系统内部错误，请稍后重试；如仍有问题请联系管理员。"
}

// FieldErrors collects validation messages per form field, in Chinese. It is
// an EINVALID error, so a handler re-renders the form with the messages.
type FieldErrors map[string]string

func (fe FieldErrors) Error() string { return fmt.Sprintf("invalid input: %d field(s)", len(fe)) }

// Add records msg for field unless the field already has a message.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Check adds msg for field when ok is false.
func (fe FieldErrors) Check(ok bool, field, msg string) {
	if !ok {
		fe.Add(field, msg)
	}
}

// Err returns fe as an error, or nil when no field failed.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// Annotate adds what was being done to an internal error; application
// errors pass unchanged, so their code and message still reach the user.
func Annotate(err error, what string) error {
	if err == nil || ErrorCode(err) != EINTERNAL {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
