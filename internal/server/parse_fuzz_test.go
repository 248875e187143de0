package server

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"zhifa/internal/cases"
	"zhifa/internal/zhifa"
)

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Fuzz tests of the server's readers of user input: the redirect after
// login, the action forms' decoder and their length cap, and the test for
// text the app cannot keep. Plain `go test` runs each on its seed corpus;
// `make fuzz` explores further.

// A redirect after login goes to a path on this site and nowhere else, as
// a browser would read it (dropping tabs and newlines, taking a backslash
// for a slash), and is either the path asked for or the home page.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/cases?status=filed", "/cases/12", "//evil.example", "/%09/evil.example", "/\\evil.example",
		"https://evil.example", "javascript:alert(1)", "/%2f%2fevil.example", "/\t/evil.example", "", "/", "cases",
		"/cases#x", "/%E6%A1%88", "/案件", "/\x00", "/%00", "/\xff", "/@evil.example", "/.//evil.example"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://zhifa.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		out := safeNext(next)
		if out == "/" {
			return
		}
		if out != next {
			t.Fatalf("safeNext(%q) = %q: neither the path nor home", next, out)
		}
		browser := strings.ReplaceAll(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(out), `\`, "/")
		if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("safeNext(%q) = %q: a browser reads %q", next, out, browser)
		}
		u, err := url.Parse(out)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q does not parse: %v", next, out, err)
		}
		if r := base.ResolveReference(u); r.Scheme != "https" || r.Host != "zhifa.example" || strings.HasPrefix(u.Path, "//") {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, out, r)
		}
		for _, c := range u.Path {
			if c < ' ' || c == 0x7f {
				t.Fatalf("safeNext(%q) = %q: control character %q in the path", next, out, c)
			}
		}
	})
}

// boundedText refuses exactly the boxes over maxFieldRunes, each by name.
func FuzzBoundedText(f *testing.F) {
	f.Add("reason", "说明", "text", "调查查明的事实")
	f.Add("reason", strings.Repeat("字", maxFieldRunes+1), "text", strings.Repeat("a", maxFieldRunes))
	f.Add("transcript", strings.Repeat("😀", maxFieldRunes), "note", "\xff\xfe")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		if k1 == k2 {
			return
		}
		// Long boxes too, not only what the fuzzer makes.
		if len(v1) > 0 && v1[0]%2 == 0 {
			v1 = strings.Repeat(v1, maxFieldRunes/len(v1)+1)
		}
		err := boundedText(map[string]string{k1: v1, k2: v2})
		long1, long2 := utf8.RuneCountInString(v1) > maxFieldRunes, utf8.RuneCountInString(v2) > maxFieldRunes
		if (err != nil) != (long1 || long2) {
			t.Fatalf("boundedText: %v for lengths %d, %d", err, utf8.RuneCountInString(v1), utf8.RuneCountInString(v2))
		}
		if err == nil {
			return
		}
		fe, ok := err.(zhifa.FieldErrors)
		if !ok || len(fe) != btoi(long1)+btoi(long2) || long1 && fe[k1] == "" || long2 && fe[k2] == "" {
			t.Fatalf("boundedText: %v does not name the long boxes", err)
		}
		for _, msg := range fe {
			if !strings.Contains(msg, strconv.Itoa(maxFieldRunes)) {
				t.Fatalf("boundedText: message %q does not give the limit", msg)
			}
		}
	})
}

// actionInput copies the boxes as typed, reads ids as numbers (0 when not
// one) and ticks as "1"; whatever the form holds, it never panics.
func FuzzActionInput(f *testing.F) {
	f.Add("reason=超期&statement_id=12&warning=1&amount=3000")
	f.Add("statement_id=%2012%20&hearing_chair=-1&confirm=yes&check_facts=ok&note_facts=x")
	f.Add("payment_id=99999999999999999999&scan=abc&instalments=2025-10-31+1000%0A2025-11-30+2000")
	f.Add("reason=%00&text=%ff")
	f.Fuzz(func(t *testing.T, form string) {
		q, _ := url.ParseQuery(form)
		v := map[string]string{}
		for k := range q {
			v[k] = q.Get(k)
		}
		in := actionInput(v)
		if in.Reason != v["reason"] || in.Text != v["text"] || in.AmountYuan != v["amount"] || in.Instalments != v["instalments"] ||
			in.PartyAddress != v["party_address"] || in.Transcript != v["transcript"] {
			t.Fatalf("actionInput changed a box: %+v from %v", in, v)
		}
		id := func(k string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(v[k]), 10, 64); return n }
		if in.StatementID != id("statement_id") || in.PaymentID != id("payment_id") || in.HearingChair != id("hearing_chair") ||
			in.ReceiptScanID != id("scan") {
			t.Fatalf("actionInput read an id wrong: %+v from %v", in, v)
		}
		if in.Warning != (v["warning"] == "1") || in.Confirm != (v["confirm"] == "1") || in.Refused != (v["refused"] == "1") {
			t.Fatalf("actionInput read a tick wrong: %+v from %v", in, v)
		}
		if len(in.Checklist) != len(cases.ReviewPoints) || len(in.ChecklistNote) != len(cases.ReviewPoints) {
			t.Fatalf("actionInput: checklist of %d points", len(in.Checklist))
		}
	})
}

// badText is true exactly for a NUL byte or bytes that are not UTF-8.
func FuzzBadText(f *testing.F) {
	for _, s := range []string{"", "刘某", "a\x00b", "\xff", "\xe6\xa1", "\t\r\n", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ContainsRune(s, 0) || !utf8.ValidString(s)
		if badText(s) != want {
			t.Fatalf("badText(%q) = %v", s, !want)
		}
		if q, err := url.ParseQuery("q=" + url.QueryEscape(s)); err != nil || badValues(q) != want {
			t.Fatalf("badValues(q=%q) = %v (%v)", s, !want, err)
		}
	})
}
