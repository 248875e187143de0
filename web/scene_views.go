package web

import (
	"context"
	"strconv"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/zhifa"
)

// The records made at the scene on a phone (scene.templ): a 现场检查（勘验）笔录
// or a 询问笔录 typed in short steps, each step saved as the case's draft of
// the kind before the next is shown.

// Bounds of the boxes of the scene steps that are parts of one document
// field (the 被询问人 block); the server checks the same.
const (
	SceneNameMax     = 50
	ScenePhoneMax    = 30
	SceneIDMax       = 40
	SceneAddressMax  = 200
	SceneRelationMax = 50
	SceneOtherMax    = 1000
	SceneQAMax       = 2000 // one question or one answer
)

// SceneStep is one step of a scene record.
type SceneStep struct {
	Key   string // time, place, present, record, person, questioners, qa, review
	Title string
	// Fields are the document's fields the step writes.
	Fields []string
}

// SceneMissing is a required field still empty, and the step that fills it.
type SceneMissing struct {
	Label string
	N     int
}

// QA is one line of a 询问笔录's questions and answers.
type QA struct {
	Question bool // 问 (else 答)
	Text     string
}

// SceneData is a step page of a scene record.
type SceneData struct {
	Case  *cases.Case
	Doc   *documents.Doc // the draft as saved, over the defaults
	Steps []SceneStep
	N     int // the step shown, 1-based; 0 for the start page
	Form  *Form
	Saved *documents.Saved // nil before the draft exists
	// Back is "review" when the step was opened from the review, to go
	// back there once saved.
	Back string
	// Why says why the document cannot be issued now ("" when it can).
	Why string
	// AllQA shows the whole text of the questions and answers to edit.
	AllQA bool
	// Missing are the required fields still empty (the review).
	Missing []SceneMissing
	// OldTime is a time typed in another form that the step's date and
	// time boxes cannot show, by field.
	OldTime map[string]string
}

// ScenePath is the path of step n of the scene record of kind (the start
// page for 0).
func ScenePath(caseID int64, kind doctype.Kind, n int) string {
	p := newDocPath(caseID, string(kind)) + "/steps"
	if n > 0 {
		p += "/" + strconv.Itoa(n)
	}
	return p
}

// Path is the path of step n of this record.
func (d *SceneData) Path(n int) string { return ScenePath(d.Case.ID, d.Doc.Kind, n) }

// ReviewPath is step n opened from the review.
func (d *SceneData) ReviewPath(n int) string { return d.Path(n) + "?back=review" }

// Step is the step shown.
func (d *SceneData) Step() SceneStep {
	if d.N < 1 || d.N > len(d.Steps) {
		return SceneStep{}
	}
	return d.Steps[d.N-1]
}

// Total is the number of steps.
func (d *SceneData) Total() int { return len(d.Steps) }

// Progress is 第2步，共5步.
func (d *SceneData) Progress() string {
	return "第" + strconv.Itoa(d.N) + "步，共" + strconv.Itoa(len(d.Steps)) + "步"
}

// SavedText is 已保存 14:05 (with the day when not within the last hours).
func (d *SceneData) SavedText() string {
	if d.Saved == nil {
		return "尚未保存"
	}
	at := d.Saved.At.In(zhifa.Local)
	s := "已保存 " + at.Format("15:04")
	if time.Since(d.Saved.At) > 12*time.Hour {
		s = "已保存 " + at.Format("1月2日 15:04")
	}
	return s
}

// SavedStamp identifies the saved version of the draft (scene.js keeps
// what is typed against it).
func (d *SceneData) SavedStamp() string {
	if d.Saved == nil {
		return ""
	}
	return strconv.FormatInt(d.Saved.At.UnixMicro(), 10)
}

// QAs are the lines of the questions and answers saved.
func (d *SceneData) QAs() []QA {
	var out []QA
	for _, l := range d.Doc.Lines("qa") {
		q := len(l) >= len("问：") && l[:len("问：")] == "问："
		out = append(out, QA{Question: q, Text: l})
	}
	return out
}

// QACount is the number of lines of questions and answers saved (the QA
// step's form carries it, so a repeated post is noticed).
func (d *SceneData) QACount() string { return strconv.Itoa(len(d.Doc.Lines("qa"))) }

// QASplit divides the saved lines into the earlier ones and the last
// question with its answer (shown open on a small screen).
func (d *SceneData) QASplit() (earlier, last []QA) {
	all := d.QAs()
	cut := len(all)
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Question {
			cut = i
			break
		}
	}
	if cut == len(all) && len(all) > 0 {
		cut = max(0, len(all)-2)
	}
	return all[:cut], all[cut:]
}

// QuestionCount is the number of questions asked so far.
func (d *SceneData) QuestionCount() int {
	n := 0
	for _, x := range d.QAs() {
		if x.Question {
			n++
		}
	}
	return n
}

// Label is the document's label of field name.
func (d *SceneData) Label(name string) string {
	if f := d.Doc.Meta.Field(name); f != nil {
		return f.Label
	}
	return name
}

// SceneLink is an entry to a scene record from the documents section.
type SceneLink struct {
	Kind  doctype.Kind
	Label string
	Href  string
}

// SceneLinks are the scene records that can be made now, for the
// documents section: offered to the case's handlers, who alone make them.
func (d *CaseDocsData) SceneLinks(ctx context.Context) []SceneLink {
	if a := zhifa.ActorFrom(ctx); a == nil || !d.Case.Handles(a.UserID) {
		return nil
	}
	labels := []struct {
		kind  doctype.Kind
		label string
	}{{doctype.Inspection, "现场检查笔录（分步填写）"}, {doctype.Inquiry, "询问笔录（分步填写）"}}
	var out []SceneLink
	for _, l := range labels {
		for _, k := range d.Kinds {
			if k.Meta.Kind == l.kind && k.Why == "" {
				out = append(out, SceneLink{Kind: l.kind, Label: l.label, Href: ScenePath(d.Case.ID, l.kind, 0)})
			}
		}
	}
	return out
}
