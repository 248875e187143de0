package cases

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/filestore"
	"zhifa/internal/zhifa"
)

// fileTypes maps a file extension to the content types its bytes may have
// and a Chinese name for messages.
var fileTypes = map[string]struct {
	types []string
	name  string
}{
	".jpg":  {[]string{"image/jpeg"}, "JPEG图片"},
	".jpeg": {[]string{"image/jpeg"}, "JPEG图片"},
	".png":  {[]string{"image/png"}, "PNG图片"},
	".gif":  {[]string{"image/gif"}, "GIF图片"},
	".webp": {[]string{"image/webp"}, "WebP图片"},
	".tif":  {[]string{"image/tiff"}, "TIFF扫描件"},
	".tiff": {[]string{"image/tiff"}, "TIFF扫描件"},
	".pdf":  {[]string{"application/pdf"}, "PDF文档"},
	".mp4":  {[]string{"video/mp4"}, "MP4视频"},
	".webm": {[]string{"video/webm"}, "WebM视频"},
	".avi":  {[]string{"video/avi"}, "AVI视频"},
	".mp3":  {[]string{"audio/mpeg"}, "MP3录音"},
	".wav":  {[]string{"audio/wave"}, "WAV录音"},
	".ogg":  {[]string{"application/ogg", "audio/ogg"}, "OGG录音"},
}

var typeNames = map[string]string{}

func init() {
	for _, ft := range fileTypes {
		for _, t := range ft.types {
			typeNames[t] = ft.name
		}
	}
}

// sniff tells the content type from the bytes (never from the name).
func sniff(head []byte) string {
	if bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")) {
		return "image/tiff"
	}
	t := http.DetectContentType(head)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}

// EvidenceInput is the upload form.
type EvidenceInput struct {
	Kind        string
	Title       string
	CollectedOn string
	CollectedBy int64 // a handling officer; 0 = the uploader
	Filename    string
	// File streams the file's bytes (never held whole in memory: a body-worn
	// camera video runs to gigabytes); nil when no file was chosen.
	File io.Reader
}

// tooLarge is the message for an upload over the configured limit.
func tooLarge(limit int64) error {
	return zhifa.FieldErrors{"file": fmt.Sprintf("文件超过大小上限（%d MB），请压缩或分段后上传。", limit>>20)}
}

// MaxEvidenceBytes is the configured upload limit.
func (s *Service) MaxEvidenceBytes(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT value FROM procedure_settings WHERE key = 'evidence_max_bytes' AND domain_id IS NULL`).Scan(&n)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return 20 << 20, nil
	}
	return n, err
}

// errOverLimit ends an upload's stream once it passes the limit.
var errOverLimit = errors.New("evidence file over the size limit")

// uploadReader passes an upload's bytes to the file store, stopping at the
// limit, and remembers a failure of the upload itself (as opposed to one of
// the store).
type uploadReader struct {
	r    io.Reader
	left int64 // bytes still allowed
	err  error
}

func (u *uploadReader) Read(p []byte) (int, error) {
	if u.left < 0 {
		u.err = errOverLimit
		return 0, u.err
	}
	if int64(len(p)) > u.left+1 {
		p = p[:u.left+1] // one byte over is enough to know
	}
	n, err := u.r.Read(p)
	u.left -= int64(n)
	if u.left < 0 {
		u.err = errOverLimit
		return n, u.err
	}
	if err != nil && err != io.EOF {
		u.err = err
	}
	return n, err
}

// AddEvidence stores a file with its hash, after checking that its bytes
// are what its name claims. The file is written to the file store first
// (streamed, hashed on the way, synced and renamed into place) and the row
// after it, so a row never points at a missing file; a file whose row then
// fails is an unreferenced, harmless copy.
func (s *Service) AddEvidence(ctx context.Context, c *Case, in EvidenceInput) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil || (a.Role != zhifa.RoleOfficer && a.Role != zhifa.RoleLeader) {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本镇执法人员可以上传证据。")
	}
	if !c.State.Open() {
		return zhifa.Errorf(zhifa.ECONFLICT, "案件已%s，不能再添加证据。", c.State.Label())
	}
	limit, err := s.MaxEvidenceBytes(ctx)
	if err != nil {
		return err
	}
	fe := zhifa.FieldErrors{}
	fe.Check(slices.ContainsFunc(EvidenceKinds, func(o Option) bool { return o.Value == in.Kind }), "kind", "请选择证据类型（行政处罚法第四十六条）。")
	in.Title = strings.TrimSpace(in.Title)
	fe.Check(in.Title != "" && runes(in.Title) <= 200, "title", "请填写证据名称（200字以内）。")
	if in.CollectedBy == 0 {
		in.CollectedBy = a.UserID
	}
	fe.Check(c.Handles(in.CollectedBy) || in.CollectedBy == a.UserID, "collected_by", "收集人应为本案承办人员。")
	collected, ok := parseDate(in.CollectedOn)
	fe.Check(ok && !collected.After(s.Clock.Today()), "collected_on", "请填写收集日期，不能晚于今天。")
	var contentType string
	var body *bufio.Reader
	var head []byte
	if in.File != nil {
		// The type is told from the first bytes, as http.DetectContentType reads them.
		body = bufio.NewReaderSize(in.File, 64<<10)
		head, err = body.Peek(512)
		var over *http.MaxBytesError
		switch {
		case errors.As(err, &over):
			return tooLarge(limit)
		case err != nil && err != io.EOF:
			fe.Add("file", "上传中断，请重新选择文件上传。")
			return fe
		}
	}
	switch {
	case len(head) == 0:
		fe.Add("file", "请选择要上传的文件。")
	default:
		ext := strings.ToLower(filepath.Ext(in.Filename))
		ft, known := fileTypes[ext]
		contentType = sniff(head)
		switch {
		case !known:
			fe.Add("file", "不支持此类文件：请上传照片（jpg、png）、视频（mp4）、录音（mp3、wav）、PDF 或扫描件（tif）。")
		case !slices.Contains(ft.types, contentType):
			actual := typeNames[contentType]
			if actual == "" {
				actual = "无法识别的内容"
			}
			fe.Add("file", fmt.Sprintf("文件内容与文件名不符：名为%s，实际是%s。请上传原始文件。", ft.name, actual))
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if s.Files == nil {
		return errors.New("add evidence: no file store configured")
	}
	up := &uploadReader{r: body, left: limit}
	hash, size, err := s.Files.Put(ctx, up)
	if err != nil {
		var over *http.MaxBytesError
		switch {
		case errors.Is(up.err, errOverLimit), errors.As(up.err, &over):
			return tooLarge(limit)
		case up.err != nil:
			return zhifa.FieldErrors{"file": "上传中断，请重新选择文件上传。"}
		}
		return fmt.Errorf("add evidence: %w", err)
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO evidence (case_id, town_id, kind, title, filename, content_type, size_bytes, sha256,
			collected_by, collected_on, uploaded_by, stored) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true)`,
			c.ID, c.TownID, in.Kind, in.Title, filepath.Base(in.Filename), contentType, size, hash, in.CollectedBy,
			collected.Format(time.DateOnly), a.UserID)
		if err != nil {
			return err
		}
		return addEvent(ctx, tx, a, c.ID, c.TownID, s.Clock(), "add_evidence", "", "",
			fmt.Sprintf("上传证据（%s）：%s，SHA-256 %s", Label(EvidenceKinds, in.Kind), in.Title, hash[:16]), "", time.Time{})
	})
	return zhifa.Annotate(err, "add evidence")
}

// EvidenceFile opens a file of the case for reading; the caller closes it.
func (s *Service) EvidenceFile(ctx context.Context, caseID, evidenceID int64) (*Evidence, io.ReadSeekCloser, error) {
	var e Evidence
	var f io.ReadSeekCloser
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT e.id, e.filename, e.content_type, e.size_bytes, e.sha256, e.uploaded_at FROM evidence e
			WHERE e.id = $1 AND e.case_id = $2`, evidenceID, caseID).
			Scan(&e.ID, &e.Filename, &e.ContentType, &e.SizeBytes, &e.SHA256, &e.UploadedAt)
		if err != nil {
			return err
		}
		f, _, err = OpenEvidence(ctx, tx, s.Files, e.ID)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该证据。")
	} else if err != nil {
		return nil, nil, fmt.Errorf("evidence %d: %w", evidenceID, err)
	}
	return &e, f, nil
}

// OpenEvidence opens the bytes of evidence row id, read in tx (so under the
// caller's tenancy): from the file store, or, for a row from before the
// store, from evidence_files.
func OpenEvidence(ctx context.Context, tx pgx.Tx, files filestore.Store, id int64) (io.ReadSeekCloser, int64, error) {
	var sha string
	var stored bool
	if err := tx.QueryRow(ctx, `SELECT sha256, stored FROM evidence WHERE id = $1`, id).Scan(&sha, &stored); err != nil {
		return nil, 0, err
	}
	if !stored {
		var data []byte
		if err := tx.QueryRow(ctx, `SELECT data FROM evidence_files WHERE evidence_id = $1`, id).Scan(&data); err != nil {
			return nil, 0, fmt.Errorf("evidence file %d: %w", id, err)
		}
		return nopCloser{bytes.NewReader(data)}, int64(len(data)), nil
	}
	if files == nil {
		return nil, 0, errors.New("no file store configured")
	}
	f, n, err := files.Open(ctx, sha)
	if errors.Is(err, filestore.ErrNotFound) {
		// Never expected: the file is written before its row.
		return nil, 0, fmt.Errorf("evidence %d: file %s missing from the file store", id, sha)
	}
	return f, n, err
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// SupersedeEvidence marks evidence replaced, with a reason; it stays on record.
func (s *Service) SupersedeEvidence(ctx context.Context, c *Case, evidenceID int64, reason string) error {
	a := zhifa.ActorFrom(ctx)
	if a == nil || (a.Role != zhifa.RoleOfficer && a.Role != zhifa.RoleLeader) {
		return zhifa.Errorf(zhifa.EFORBIDDEN, "只有本镇执法人员可以处理证据。")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return zhifa.Errorf(zhifa.EINVALID, "请填写替换原因。证据不会被删除，只标记为已替换。")
	}
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var title string
		err := tx.QueryRow(ctx, `UPDATE evidence SET superseded_at = $3, superseded_by = $4, superseded_reason = $5
			WHERE id = $1 AND case_id = $2 AND superseded_at IS NULL RETURNING title`, evidenceID, c.ID, s.Clock(), a.UserID, reason).Scan(&title)
		if errors.Is(err, pgx.ErrNoRows) {
			return zhifa.Errorf(zhifa.ENOTFOUND, "没有找到可替换的证据。")
		} else if err != nil {
			return err
		}
		return addEvent(ctx, tx, a, c.ID, c.TownID, s.Clock(), "supersede_evidence", "", "", "标记证据已替换："+title, reason, time.Time{})
	})
	return zhifa.Annotate(err, "supersede evidence")
}
