package server

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"zhifa/internal/cases"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func (s *Server) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	f := web.NewForm()
	// limitUploads bounded the body before the CSRF check parsed the form.
	upload := uploadLimitFrom(r)
	if upload == nil {
		s.Error(w, r, errors.New("evidence upload without its body limit"))
		return
	}
	limit := upload.max
	if upload.tooLarge {
		s.caseActionFailed(w, r, c, "evidence", f, zhifa.FieldErrors{"file": "文件超过大小上限（" + strconv.FormatInt(limit>>20, 10) + " MB），请压缩或分段后上传。"})
		return
	}
	in := cases.EvidenceInput{}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.caseActionFailed(w, r, c, "evidence", f, zhifa.FieldErrors{"file": "上传失败，请重新选择文件。"})
		return
	}
	in.Kind, in.Title, in.CollectedOn = r.PostFormValue("kind"), r.PostFormValue("title"), r.PostFormValue("collected_on")
	in.CollectedBy, _ = strconv.ParseInt(r.PostFormValue("collected_by"), 10, 64)
	f.Values = map[string]string{"kind": in.Kind, "title": in.Title, "collected_on": in.CollectedOn, "collected_by": r.PostFormValue("collected_by")}
	if file, hdr, err := r.FormFile("file"); err == nil {
		in.Filename = hdr.Filename
		in.Data, err = io.ReadAll(io.LimitReader(file, limit+1))
		file.Close()
		if err != nil {
			s.Error(w, r, err)
			return
		}
	}
	if err := s.Cases.AddEvidence(r.Context(), c, in); err != nil {
		s.caseActionFailed(w, r, c, "evidence", f, err)
		return
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), "证据已上传。")
}

func (s *Server) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	id, _ := strconv.ParseInt(chi.URLParam(r, "evidenceID"), 10, 64)
	e, data, err := s.Cases.EvidenceFile(r.Context(), c.ID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", e.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(e.Filename))
	w.Header().Set("X-Content-SHA256", e.SHA256)
	_, _ = w.Write(data)
}

func (s *Server) supersedeEvidence(w http.ResponseWriter, r *http.Request) {
	c := caseFrom(r)
	id, _ := strconv.ParseInt(chi.URLParam(r, "evidenceID"), 10, 64)
	if err := s.Cases.SupersedeEvidence(r.Context(), c, id, r.PostFormValue("reason")); err != nil {
		s.caseActionFailed(w, r, c, "", web.NewForm(), err)
		return
	}
	s.redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), "证据已标记为已替换。")
}
