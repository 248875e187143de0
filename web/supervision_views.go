package web

import (
	"time"

	"zhifa/internal/supervision"
	"zhifa/internal/town"
)

// SupervisorHomeData is a 执法监督员's start page.
type SupervisorHomeData struct {
	Today    time.Time
	Me       *supervision.Supervisor
	Opinions []supervision.Opinion // their own, the waiting ones first
}

// Waiting counts the opinions not yet answered.
func (d *SupervisorHomeData) Waiting() int {
	n := 0
	for i := range d.Opinions {
		if d.Opinions[i].Response == nil {
			n++
		}
	}
	return n
}

// OpinionsData is the opinion list: a supervisor's own, or the queue of
// the town's leader and head and of the county.
type OpinionsData struct {
	Today      time.Time
	Supervisor bool // the actor files opinions (their own list)
	County     bool // the county's town filter
	Admin      bool // the county administrator (appoints supervisors)
	Towns      []town.Town
	Town       string
	Status     string
	Opinions   []supervision.Opinion
}

// OpinionFormData is the supervisor's opinion form.
type OpinionFormData struct {
	Form     *Form
	TownName string
}

// OpinionData is one opinion with its answer and the answer form.
type OpinionData struct {
	Today      time.Time
	O          *supervision.Opinion
	CaseID     int64 // the case its reference names, for staff (0: none)
	CanRespond bool
	Form       *Form
}

// SupervisorsData is the list of appointed supervisors.
type SupervisorsData struct {
	Today       time.Time
	Supervisors []supervision.Supervisor
	Admin       bool
	Towns       []town.Town
	Town        string
}

// AppointData is the appointment form (new) or the renewal form.
type AppointData struct {
	Today time.Time
	S     *supervision.Supervisor // nil: a new appointment
	Form  *Form
	Towns []town.Town
	Admin bool
}

// OpinionStatusClass is the badge class of an opinion's status on today.
func OpinionStatusClass(o *supervision.Opinion, today time.Time) string {
	switch o.Status(today) {
	case supervision.StatusAnswered:
		return "due-met"
	case supervision.StatusOverdue:
		return "due-overdue"
	}
	return "due-running"
}

func subjectOptions() []Option {
	out := make([]Option, len(supervision.Subjects))
	for i, s := range supervision.Subjects {
		out[i] = Option{string(s), s.Label()}
	}
	return out
}

func opinionPath(o *supervision.Opinion) string { return "/supervision/opinions/" + itoa(o.ID) }

// opinionSubject is what the opinion is about, in words.
func opinionSubject(o *supervision.Opinion) string {
	if o.Subject == supervision.SubjectCase {
		return o.Subject.Label() + "：" + o.CaseRef
	}
	return o.Subject.Label()
}
