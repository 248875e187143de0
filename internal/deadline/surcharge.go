package deadline

import (
	"sort"
	"time"
)

// PaymentIn is one payment of a fine: the amount in fen and the day paid.
type PaymentIn struct {
	AmountFen int64
	On        time.Time
}

// surchargeRate is 3 % a day (APL art. 72 ¶1), as a fraction of 100.
const surchargeRate = 3

// Instalment is a sum due by a day: the whole fine by the payment date, or
// each part of an approved instalment plan (分期缴纳, APL art. 66 ¶2).
type Instalment struct {
	Due       time.Time
	AmountFen int64
}

// Surcharges returns the late-payment surcharge (加处罚款, APL art. 72 ¶1)
// recorded with each payment of a fine of fineFen due on due; out[i] belongs
// to pays[i]. It is SurchargesSchedule with the whole fine due on one day.
func Surcharges(fineFen int64, due time.Time, pays []PaymentIn, paused []Suspension) []int64 {
	if due.IsZero() {
		return make([]int64, len(pays))
	}
	return SurchargesSchedule(fineFen, []Instalment{{Due: due, AmountFen: fineFen}}, pays, paused)
}

// SurchargesSchedule returns the surcharge recorded with each payment
// (out[i] belongs to pays[i]; payments are taken in date order, equal dates
// in the order given) of a fine whose parts fall due as sched says.
//
// Each day after a part fell due, 3 % of what is then overdue (the parts
// due before that day, less what was paid before it) accrues; a payment
// carries what accrued since the previous payment, so no day is charged
// twice and a part-payment stops the surcharge on what it paid. Days inside a
// paused span (a pending reconsideration or lawsuit, From inclusive to
// Resumed exclusive, Resumed zero while still pending) do not count (art. 73
// ¶3). Each amount is rounded down to the fen, and the total over all
// payments never exceeds the fine (art. 72 ¶1).
func SurchargesSchedule(fineFen int64, sched []Instalment, pays []PaymentIn, paused []Suspension) []int64 {
	out, _ := accrual(fineFen, sched, pays, paused, time.Time{})
	return out
}

// SurchargeOwed is the surcharge accrued up to today on what is still owed
// of the fine after the payments, beyond what Surcharges records with them,
// and at most the fine less the surcharges recorded.
func SurchargeOwed(fineFen int64, due time.Time, pays []PaymentIn, paused []Suspension, today time.Time) int64 {
	if due.IsZero() {
		return 0
	}
	return SurchargeOwedSchedule(fineFen, []Instalment{{Due: due, AmountFen: fineFen}}, pays, paused, today)
}

// SurchargeOwedSchedule is SurchargeOwed for a fine due in parts.
func SurchargeOwedSchedule(fineFen int64, sched []Instalment, pays []PaymentIn, paused []Suspension, today time.Time) int64 {
	if today.IsZero() {
		return 0
	}
	_, tail := accrual(fineFen, sched, pays, paused, Day(today))
	return tail
}

// accrual walks the days from the first due date to the last payment (or
// until, when later), accruing 3 % a day of the overdue sum. It returns the
// surcharge of each payment and what accrued after the last one up to until.
// Sums are kept in hundredths of a fen and rounded down at each payment, so
// a constant overdue sum gives exactly sum × 3 % × days.
func accrual(fineFen int64, sched []Instalment, pays []PaymentIn, paused []Suspension, until time.Time) ([]int64, int64) {
	out := make([]int64, len(pays))
	parts := make([]Instalment, 0, len(sched))
	for _, in := range sched {
		if !in.Due.IsZero() && in.AmountFen > 0 {
			parts = append(parts, Instalment{Due: Day(in.Due), AmountFen: in.AmountFen})
		}
	}
	if fineFen <= 0 || len(parts) == 0 {
		return out, 0
	}
	sort.SliceStable(parts, func(a, b int) bool { return parts[a].Due.Before(parts[b].Due) })
	order := make([]int, 0, len(pays))
	for i := range pays {
		if !Day(pays[i].On).IsZero() {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return Day(pays[order[a]].On).Before(Day(pays[order[b]].On)) })
	end := until
	if n := len(order); n > 0 && Day(pays[order[n-1]].On).After(end) {
		end = Day(pays[order[n-1]].On)
	}
	susp := spans(paused, end)
	isPaused := func(d time.Time) bool {
		for _, x := range susp {
			if !d.Before(x.from) && d.Before(x.to) {
				return true
			}
		}
		return false
	}
	var total, acc, dueBy, paid int64 // acc in hundredths of a fen
	next, p := 0, 0
	// Payments on or before the first due date were on time.
	for p < len(order) && !Day(pays[order[p]].On).After(parts[0].Due) {
		paid += pays[order[p]].AmountFen
		p++
	}
	for d := addDays(parts[0].Due, 1); !d.After(end); d = addDays(d, 1) {
		for next < len(parts) && parts[next].Due.Before(d) {
			dueBy += parts[next].AmountFen
			next++
		}
		if owed := dueBy - paid; owed > 0 && !isPaused(d) && total+acc/100 < fineFen {
			acc += owed * surchargeRate
		}
		// The payments of day d carry what accrued up to and including d.
		first := true
		for p < len(order) && Day(pays[order[p]].On).Equal(d) {
			if first {
				s := min(acc/100, fineFen-total)
				out[order[p]] = s
				total += s
				acc = 0
				first = false
			}
			paid += pays[order[p]].AmountFen
			p++
		}
	}
	return out, min(acc/100, fineFen-total)
}

// Surcharge is the surcharge of a fine paid whole on paidOn (or unpaid up to
// paidOn): Surcharges with one payment of the whole fine.
func Surcharge(fineFen int64, due, paidOn time.Time) int64 {
	return Surcharges(fineFen, due, []PaymentIn{{AmountFen: fineFen, On: paidOn}}, nil)[0]
}
