package web

import (
	"strconv"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/deadline"
	"zhifa/internal/town"
)

// ReviewQueueData is the 待审核 list.
type ReviewQueueData struct {
	Today  time.Time
	Rows   []cases.QueueRow
	County bool
	Towns  []town.Town // the county's town filter
	Town   string      // the chosen town's code ("" = every town)
}

// Overdue counts the rows whose review period has run out.
func (d *ReviewQueueData) Overdue() int {
	n := 0
	for i := range d.Rows {
		if d.Rows[i].Overdue() {
			n++
		}
	}
	return n
}

// Summary counts the queue and its overdue cases.
func (d *ReviewQueueData) Summary() string {
	s := "待法制审核" + strconv.Itoa(len(d.Rows)) + "件"
	if n := d.Overdue(); n > 0 {
		s += "，其中超过审核期限" + strconv.Itoa(n) + "件"
	}
	return s + "。先提交审核的排在前面。"
}

// WorkdaysLeftText says how many working days the review has left.
func WorkdaysLeftText(r *cases.QueueRow) string {
	switch r.Review.Status {
	case deadline.Paused:
		return "案件中止，期限暂停"
	case deadline.Overdue:
		return "逾期" + strconv.Itoa(-r.WorkdaysLeft) + "个工作日"
	}
	if r.WorkdaysLeft == 0 {
		return "今日到期"
	}
	return "剩余" + strconv.Itoa(r.WorkdaysLeft) + "个工作日"
}
