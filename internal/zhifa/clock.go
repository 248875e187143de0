package zhifa

import "time"

// Clock tells the time; injected so date logic is testable on any day.
type Clock func() time.Time

// Local is China Standard Time: dates in this system are local dates.
var Local = time.FixedZone("CST", 8*3600)

// Today is the local calendar date at midnight CST.
func (c Clock) Today() time.Time {
	t := c().In(Local)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Local)
}
