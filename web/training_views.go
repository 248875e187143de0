package web

import (
	"strconv"
	"time"

	"zhifa/internal/town"
	"zhifa/internal/training"
	"zhifa/internal/zhifa"
)

// TrainingData is the session list (/training).
type TrainingData struct {
	Year      int
	Years     []int // the years the filter offers, newest first
	Sessions  []training.Session
	County    bool        // the actor is a county role: the town filter
	Towns     []town.Town // for the filter
	Town      string      // the town code filtered on
	CanRecord bool
	Hours     training.Hours // the sessions' hours, summed
	Attended  int            // the attendances listed, summed
}

// TrainingFormData is the new-session form.
type TrainingFormData struct {
	Form       *Form
	Organisers []Option // the one organiser the actor records for
}

// TrainingSessionData is one session with its attendance form.
type TrainingSessionData struct {
	S          *training.Session
	CanRecord  bool
	Candidates []training.Candidate // the attendance form's boxes (CanRecord)
	Form       *Form
}

// Ticked reports whether the attendance form ticks userID: what was
// posted after a refusal, else the attendance on record.
func (d *TrainingSessionData) Ticked(userID int64) bool {
	if d.Form != nil && d.Form.Values["posted"] == "1" {
		_, ok := d.Form.Values["officer:"+strconv.FormatInt(userID, 10)]
		return ok
	}
	return d.S.Attended(userID)
}

// TrainingHoursData is every officer's hours in a year.
type TrainingHoursData struct {
	Year     int
	Years    []int
	County   bool
	Towns    []town.Town
	Town     string
	Officers []training.OfficerYear
	Required training.Hours
}

// MetCount is how many of the officers reached the required hours.
func (d *TrainingHoursData) MetCount() int {
	n := 0
	for _, o := range d.Officers {
		if o.Met() {
			n++
		}
	}
	return n
}

// OfficerTrainingData is one officer's hours per year and sessions.
type OfficerTrainingData struct {
	Name     string
	UserID   int64
	TownName string
	Hours    []training.YearHours
	Sessions []training.Session
}

// TrainingSummaryData is the county summary (参训人次 per town and year).
type TrainingSummaryData struct {
	Year     int
	Years    []int
	Towns    []training.TownYear
	PerYear  []training.YearTotal
	County   bool
	Required training.Hours
}

// Total sums the towns' rows.
func (d *TrainingSummaryData) Total() training.TownYear {
	var t training.TownYear
	for _, r := range d.Towns {
		t.Sessions += r.Sessions
		t.Attendances += r.Attendances
		t.Hours += r.Hours
		t.Trained += r.Trained
		t.Officers += r.Officers
		t.Met += r.Met
	}
	return t
}

// ThisYear is the county's totals in the summary's year.
func (d *TrainingSummaryData) ThisYear() training.YearTotal {
	for _, y := range d.PerYear {
		if y.Year == d.Year {
			return y
		}
	}
	return training.YearTotal{Year: d.Year}
}

// TrainingYears are the years a training filter offers: from 2020 to
// today's, newest first.
func TrainingYears(today time.Time) []int {
	var out []int
	for y := today.Year(); y >= 2020; y-- {
		out = append(out, y)
	}
	return out
}

func yearText(y int) string { return strconv.Itoa(y) }

func trainingPath(s *training.Session) string { return "/training/" + itoa(s.ID) }

func roleLabel(r string) string { return zhifa.Role(r).Label() }
