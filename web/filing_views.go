package web

import (
	"time"

	"zhifa/internal/correction"
	"zhifa/internal/filing"
	"zhifa/internal/town"
)

// FilingsData is the list of major-decision filings: the town's own with
// their clocks, or the county's queue of every town's.
type FilingsData struct {
	Filings []filing.Filing
	Today   time.Time
	County  bool
	Towns   []town.Town // for the town filter (county)
	Town    string      // the selected town's code
	Status  string      // the selected status, "overdue" or ""
}

// FilingData is one filing's page.
type FilingData struct {
	F     *filing.Filing
	Today time.Time
	// Materials are the documents the town's filing sends (before it files).
	Materials []filing.Material
	// CanFile: the town may file it now; CanReview: the county reviewer may
	// review it now.
	CanFile, CanReview bool
	FileForm           *Form
	ReviewForm         *Form
}

// ThresholdsData is the thresholds page: those in force, the versions and,
// for the county administrator, the form to add one.
type ThresholdsData struct {
	Current  []filing.Thresholds
	Versions []filing.Thresholds
	Domains  []Option
	Form     *Form
	CanEdit  bool
	Today    time.Time
	// Period is the filing period setting as shown, e.g. "15个工作日".
	Period string
}

// CorrectionsData is the list of correction tasks.
type CorrectionsData struct {
	Tasks  []correction.Task
	Today  time.Time
	County bool
	Towns  []town.Town
	Town   string
	Status string
}

// CorrectionData is one task's page.
type CorrectionData struct {
	T     *correction.Task
	Today time.Time
	// FilingID is the filing review that opened it (0 for another source).
	FilingID int64
	// CanAnswer: the town may report what it did; CanDecide: the county
	// reviewer may close it or send it back.
	CanAnswer, CanDecide bool
	AnswerForm           *Form
	DecideForm           *Form
}

// FilingStatusClass is the badge class of a filing's status: the clock's
// colours (overdue red, waiting amber, done green).
func FilingStatusClass(f *filing.Filing, today time.Time) string {
	switch {
	case f.Overdue(today):
		return "due-overdue"
	case f.Status() == filing.StatusPending, f.Status() == filing.StatusSubmitted:
		return "due-due_soon"
	case f.Status() == filing.StatusFiled:
		return "due-met"
	}
	return "due-missed"
}

// TaskStatusClass is the badge class of a correction task's status.
func TaskStatusClass(t *correction.Task, today time.Time) string {
	switch {
	case t.Overdue(today):
		return "due-overdue"
	case t.Status == correction.StatusClosed:
		return "due-met"
	}
	return "due-due_soon"
}

func filingStatusOptions() []Option {
	out := make([]Option, 0, len(filing.Statuses)+1)
	for _, s := range filing.Statuses {
		out = append(out, Option{string(s.Value), s.Label})
	}
	return append(out, Option{"overdue", "逾期（未按期报送）"})
}

func conclusionOptions() []Option {
	out := make([]Option, 0, len(filing.Conclusions))
	for _, c := range filing.Conclusions {
		out = append(out, Option{string(c.Value), c.Label})
	}
	return out
}

func taskStatusOptions() []Option {
	return []Option{{string(correction.StatusOpen), correction.StatusOpen.Label()},
		{string(correction.StatusAnswered), correction.StatusAnswered.Label()},
		{string(correction.StatusClosed), correction.StatusClosed.Label()}, {"overdue", "逾期未整改"}}
}

func answerKindOptions() []Option {
	out := make([]Option, 0, len(correction.AnswerKinds))
	for _, k := range correction.AnswerKinds {
		out = append(out, Option{string(k.Kind), k.Label})
	}
	return out
}

// eventLabel names a task's step in Chinese.
func eventLabel(e correction.Event) string {
	switch e.Kind {
	case correction.EventAnswer:
		return "报送整改情况（" + correction.AnswerLabel(e.AnswerKind) + "）"
	case correction.EventClose:
		return "审核通过，销号"
	case correction.EventReturn:
		return "退回重新整改"
	}
	return string(e.Kind)
}

// filedDocPath is the page of a filed document (none: "").
func filedDocPath(caseID int64, docID *int64) string {
	if docID == nil {
		return ""
	}
	return docPath(caseID, *docID)
}
