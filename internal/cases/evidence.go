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
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/filestore"
	"zhifa/internal/media"
	"zhifa/internal/zhifa"
)

// fileTypes maps a file extension to the content types its bytes may have
// (told by media.Sniff), a Chinese name for messages, and the type stored
// when it is not the one sniffed (an .m4a recording whose brand is the
// general MP4 one is still a recording).
var fileTypes = map[string]struct {
	types []string
	name  string
	as    string
}{
	".jpg":  {types: []string{media.JPEG}, name: "JPEG图片"},
	".jpeg": {types: []string{media.JPEG}, name: "JPEG图片"},
	".png":  {types: []string{media.PNG}, name: "PNG图片"},
	".heic": {types: []string{media.HEIC, media.HEIF}, name: "HEIC照片"},
	".heif": {types: []string{media.HEIF, media.HEIC}, name: "HEIF照片"},
	".gif":  {types: []string{"image/gif"}, name: "GIF图片"},
	".webp": {types: []string{"image/webp"}, name: "WebP图片"},
	".tif":  {types: []string{media.TIFF}, name: "TIFF扫描件"},
	".tiff": {types: []string{media.TIFF}, name: "TIFF扫描件"},
	".pdf":  {types: []string{media.PDF}, name: "PDF文档"},
	".mp4":  {types: []string{media.MP4, media.ThreeGPP}, name: "MP4视频"},
	".mov":  {types: []string{media.QuickTime, media.MP4}, name: "MOV视频"},
	".3gp":  {types: []string{media.ThreeGPP, media.MP4}, name: "3GP视频"},
	".webm": {types: []string{"video/webm"}, name: "WebM视频"},
	".avi":  {types: []string{"video/avi"}, name: "AVI视频"},
	".m4a":  {types: []string{media.M4A, media.MP4}, name: "M4A录音", as: media.M4A},
	".amr":  {types: []string{media.AMR, media.AMRWB}, name: "AMR录音"},
	".mp3":  {types: []string{"audio/mpeg"}, name: "MP3录音"},
	".wav":  {types: []string{"audio/wave"}, name: "WAV录音"},
	".ogg":  {types: []string{"application/ogg", "audio/ogg"}, name: "OGG录音"},
}

// typeNames name the content types in messages (文件内容与文件名不符：…实际是X).
var typeNames = map[string]string{
	media.JPEG: "JPEG图片", media.PNG: "PNG图片", media.HEIC: "HEIC照片", media.HEIF: "HEIF照片", "image/gif": "GIF图片",
	"image/webp": "WebP图片", media.TIFF: "TIFF扫描件", media.PDF: "PDF文档", media.MP4: "MP4视频", media.QuickTime: "MOV视频",
	media.ThreeGPP: "3GP视频", "video/webm": "WebM视频", "video/avi": "AVI视频", media.M4A: "M4A录音", media.AMR: "AMR录音",
	media.AMRWB: "AMR录音", "audio/mpeg": "MP3录音", "audio/wave": "WAV录音", "application/ogg": "OGG录音", "audio/ogg": "OGG录音",
}

// MaxEvidenceFiles is the most files one upload may carry.
const MaxEvidenceFiles = 20

// EvidenceInput is the upload form: one kind, collection date, collector
// and name for all of its files.
type EvidenceInput struct {
	Kind        string
	Title       string // the name; with several files, each file's name follows it
	CollectedOn string
	CollectedBy int64 // a handling officer; 0 = the uploader
	// Next yields the upload's files in the order they arrive, and nil
	// after the last. Each file's bytes are streamed (never held whole in
	// memory: a body-worn camera video runs to gigabytes) and are read to
	// their end before the next file is asked for.
	Next func() (*UploadedFile, error)
}

// UploadedFile is one file of an upload.
type UploadedFile struct {
	Name string
	Body io.Reader
}

// Files is an EvidenceInput.Next that yields the files given.
func Files(files ...UploadedFile) func() (*UploadedFile, error) {
	return func() (*UploadedFile, error) {
		if len(files) == 0 {
			return nil, nil
		}
		f := files[0]
		files = files[1:]
		return &f, nil
	}
}

// requestTooLarge is the message for an upload whose files together pass
// the request's limit (over.Limit: the body's limit).
func requestTooLarge(over *http.MaxBytesError) error {
	return zhifa.FieldErrors{"file": fmt.Sprintf("一次上传的文件合计超过上限（%d MB），请分批上传。本次上传的文件均未保存。", over.Limit>>20)}
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

// storedFile is a file of an upload, in the file store, with what it says
// about itself.
type storedFile struct {
	name        string
	contentType string
	sha         string
	size        int64
	meta        media.Meta
}

// AddEvidence stores the files of an upload with their hashes, after
// checking that each one's bytes are what its name claims, and reads when
// and where a photo or video was taken from its bytes (internal/media).
// Each file is written to the file store as it arrives (streamed, hashed on
// the way, synced and renamed into place) and the rows of all of them after
// the last, in one transaction: an upload is recorded whole or not at all,
// and a row never points at a missing file. A file refused (its type, its
// size) refuses the whole upload; files of it stored before are
// unreferenced, harmless copies, as is a file whose row then fails.
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
	fe.Check(runes(in.Title) <= 200, "title", "证据名称应在200字以内。")
	if in.CollectedBy == 0 {
		in.CollectedBy = a.UserID
	}
	fe.Check(c.Handles(in.CollectedBy) || in.CollectedBy == a.UserID, "collected_by", "收集人应为本案承办人员。")
	collected, ok := parseDate(in.CollectedOn)
	fe.Check(ok && !collected.After(s.Clock.Today()), "collected_on", "请填写收集日期，不能晚于今天。")
	if s.Files == nil {
		return errors.New("add evidence: no file store configured")
	}
	var files []storedFile
	for {
		f, err := in.Next()
		var over *http.MaxBytesError
		switch {
		case errors.As(err, &over):
			return requestTooLarge(over)
		case err != nil:
			return fmt.Errorf("add evidence: next file: %w", err)
		}
		if f == nil {
			break
		}
		if len(files) == MaxEvidenceFiles {
			fe.Add("file", fmt.Sprintf("一次最多上传%d个文件，请分批上传。本次上传的文件均未保存。", MaxEvidenceFiles))
			return fe
		}
		sf, err := s.storeFile(ctx, f, limit, fe)
		if err != nil {
			return err
		}
		files = append(files, sf)
	}
	if len(files) == 0 {
		fe.Add("file", "请选择要上传的文件。")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	err = s.DB.Tx(ctx, func(tx pgx.Tx) error {
		for _, f := range files {
			title := evidenceTitle(in.Title, f.name, len(files) > 1)
			var takenAt *time.Time
			var lat, lon, alt *float64
			if !f.meta.TakenAt.IsZero() {
				takenAt = &f.meta.TakenAt
			}
			if p := f.meta.Place; p != nil {
				lat, lon, alt = &p.Lat, &p.Lon, p.Alt
			}
			_, err := tx.Exec(ctx, `INSERT INTO evidence (case_id, town_id, kind, title, filename, content_type, size_bytes, sha256,
				collected_by, collected_on, uploaded_by, stored, taken_at, gps_lat, gps_lon, gps_alt)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, $12, round($13::numeric, 6), round($14::numeric, 6), round($15::numeric, 1))`,
				c.ID, c.TownID, in.Kind, title, f.name, f.contentType, f.size, f.sha, in.CollectedBy,
				collected.Format(time.DateOnly), a.UserID, takenAt, lat, lon, alt)
			if err != nil {
				return err
			}
			err = addEvent(ctx, tx, a, c.ID, c.TownID, s.Clock(), "add_evidence", "", "",
				fmt.Sprintf("上传证据（%s）：%s，SHA-256 %s", Label(EvidenceKinds, in.Kind), title, f.sha[:16]), "", time.Time{})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return zhifa.Annotate(err, "add evidence")
}

// storeFile checks an upload's file and writes it to the file store. A
// file refused is a field error naming it, and so is the first file of a
// form whose fields are wrong (fe), which is then not stored: nothing is
// written for a form that will be refused anyway.
func (s *Service) storeFile(ctx context.Context, f *UploadedFile, limit int64, fe zhifa.FieldErrors) (storedFile, error) {
	name := filepath.Base(strings.ReplaceAll(f.Name, "\\", "/"))
	refuse := func(msg string) (storedFile, error) {
		fe.Add("file", fmt.Sprintf("“%s”：%s本次上传的文件均未保存。", name, msg))
		return storedFile{}, fe
	}
	// The type is told from the first bytes.
	body := bufio.NewReaderSize(f.Body, 64<<10)
	head, err := body.Peek(media.SniffLen)
	var over *http.MaxBytesError
	switch {
	case errors.As(err, &over):
		return storedFile{}, requestTooLarge(over)
	case err != nil && err != io.EOF:
		return refuse("上传中断，请重新选择文件上传。")
	case len(head) == 0:
		return refuse("文件是空的，请重新选择文件。")
	}
	contentType, msg := fileType(name, head)
	if msg != "" {
		return refuse(msg)
	}
	if len(fe) > 0 {
		return storedFile{}, fe
	}
	up := &uploadReader{r: body, left: limit}
	hash, size, err := s.Files.Put(ctx, up)
	if err != nil {
		switch {
		case errors.As(up.err, &over):
			return storedFile{}, requestTooLarge(over)
		case errors.Is(up.err, errOverLimit):
			return refuse(fmt.Sprintf("文件超过大小上限（%d MB），请压缩或分段后上传。", limit>>20))
		case up.err != nil:
			return refuse("上传中断，请重新选择文件上传。")
		}
		return storedFile{}, fmt.Errorf("add evidence: %w", err)
	}
	meta, err := s.readMedia(ctx, hash, contentType)
	if err != nil {
		return storedFile{}, err
	}
	return storedFile{name: name, contentType: contentType, sha: hash, size: size, meta: meta}, nil
}

// fileType is the content type of a file named name that starts with head,
// or a message saying why it is refused.
func fileType(name string, head []byte) (string, string) {
	ext := strings.ToLower(filepath.Ext(name))
	ft, known := fileTypes[ext]
	contentType := media.Sniff(head)
	switch {
	case !known:
		return "", "不支持此类文件：请上传照片（jpg、png、heic）、视频（mp4、mov）、录音（m4a、amr、mp3、wav）、PDF 或扫描件（tif）。"
	case !slices.Contains(ft.types, contentType):
		actual := typeNames[contentType]
		if actual == "" {
			actual = "无法识别的内容"
		}
		return "", fmt.Sprintf("文件内容与文件名不符：名为%s，实际是%s。请上传原始文件。", ft.name, actual)
	case ft.as != "":
		return ft.as, ""
	}
	return contentType, ""
}

// readMedia reads when and where a stored photo or video was taken.
func (s *Service) readMedia(ctx context.Context, sha, contentType string) (media.Meta, error) {
	f, size, err := s.Files.Open(ctx, sha)
	if err != nil {
		return media.Meta{}, fmt.Errorf("read media %s: %w", sha, err)
	}
	defer f.Close()
	ra, ok := f.(io.ReaderAt)
	if !ok {
		ra = &seekReaderAt{r: f}
	}
	m, err := media.Read(ra, size, contentType, zhifa.Local)
	if err != nil {
		return media.Meta{}, fmt.Errorf("read media %s: %w", sha, err)
	}
	return m, nil
}

// seekReaderAt reads at offsets of a stream that can seek (a store whose
// files are not os.Files).
type seekReaderAt struct{ r io.ReadSeeker }

func (s *seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return io.ReadFull(s.r, p)
}

// evidenceTitle is the name of a file's evidence: the name given; with
// several files, the name given followed by the file's (without its
// extension), or the file's alone when no name was given.
func evidenceTitle(given, filename string, several bool) string {
	stem := strings.TrimSpace(strings.TrimSuffix(filename, filepath.Ext(filename)))
	if stem == "" {
		stem = filename
	}
	title := given
	switch {
	case given == "":
		title = stem
	case several:
		title = given + "（" + stem + "）"
	}
	if r := []rune(title); len(r) > 200 {
		title = string(r[:200])
	}
	return title
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

// TakenFarDays is how many days a photo's date may be from the stated
// collection date before the case page asks to check it (a photo taken
// late in the evening may be handed in the next day).
const TakenFarDays = 1

// TakenDaysOff is how many days the date the file says it was taken (in
// China time) is from the stated collection date; false if it does not say.
func (e Evidence) TakenDaysOff() (int, bool) {
	if e.TakenAt == nil {
		return 0, false
	}
	t := e.TakenAt.In(zhifa.Local)
	taken := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	c := e.CollectedOn
	collected := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC)
	days := int(taken.Sub(collected).Hours() / 24)
	return max(days, -days), true
}

// TakenWarning asks to check a photo or video whose date is far from the
// stated collection date; "" when it is not (or the file does not say).
func (e Evidence) TakenWarning() string {
	if n, ok := e.TakenDaysOff(); ok && n > TakenFarDays {
		return fmt.Sprintf("拍摄日期与收集日期相差%d天，请核实", n)
	}
	return ""
}

// TakenText is when the file says it was taken, in China time; "" if it
// does not say.
func (e Evidence) TakenText() string {
	if e.TakenAt == nil {
		return ""
	}
	return e.TakenAt.In(zhifa.Local).Format("2006-01-02 15:04:05")
}

// PlaceText is where the file says it was taken, "北纬32.52010° 东经108.53750°"
// (and the altitude when known); "" if it does not say.
func (e Evidence) PlaceText() string {
	if e.GPSLat == nil || e.GPSLon == nil {
		return ""
	}
	ns, lat := "北纬", *e.GPSLat
	if lat < 0 {
		ns, lat = "南纬", -lat
	}
	ew, lon := "东经", *e.GPSLon
	if lon < 0 {
		ew, lon = "西经", -lon
	}
	s := fmt.Sprintf("%s%.5f° %s%.5f°", ns, lat, ew, lon)
	if e.GPSAlt != nil {
		s += fmt.Sprintf("，海拔%s米", strconv.FormatFloat(*e.GPSAlt, 'f', -1, 64))
	}
	return s
}
