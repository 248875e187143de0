package web

import (
	"strconv"

	"zhifa/internal/cases"
	"zhifa/internal/zhifa"
)

// TodoMoreHref is the list that holds all of a queue's cases ("" when no
// list narrows to it).
func TodoMoreHref(q cases.Queue, a *zhifa.Actor) string {
	me := strconv.FormatInt(a.UserID, 10)
	switch q {
	case cases.QueueMyCases:
		return "/cases?officer=" + me + "&sort=due"
	case cases.QueueLeads:
		return "/cases?state=lead&officer=" + me
	case cases.QueueFilingApproval:
		return "/cases?state=lead"
	case cases.QueueExtend:
		return "/cases?due=soon&sort=due"
	case cases.QueueOverdue:
		return "/cases?due=overdue"
	case cases.QueueReview:
		return "/review"
	}
	return ""
}

// ReviewRows are the first rows of the review queue the home page lists.
func (d *HomeData) ReviewRows() []cases.QueueRow {
	return d.Todo.Review[:min(len(d.Todo.Review), cases.TodoLimit)]
}

// ReviewOverdue counts the cases whose review period has run out.
func (d *HomeData) ReviewOverdue() int {
	n := 0
	for i := range d.Todo.Review {
		if d.Todo.Review[i].Overdue() {
			n++
		}
	}
	return n
}

// PendingTowns are the towns with overdue cases or pending reviews.
func (d *HomeData) PendingTowns() []cases.TownTodo {
	var out []cases.TownTodo
	for _, t := range d.TownsTodo {
		if t.Pending() {
			out = append(out, t)
		}
	}
	return out
}

// TownReviewsHref lists a town's cases awaiting review: the review queue
// for a reviewer, the case list for the administrator.
func TownReviewsHref(a *zhifa.Actor, code string) string {
	if a.Role.IsReviewer() {
		return "/review?town=" + code
	}
	return "/cases?town=" + code + "&state=review"
}
