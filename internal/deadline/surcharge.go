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

// lateDays counts the days d with from < d <= to and d > due that fall in no
// paused span: the days a sum was owed late, not counting the days a
// reconsideration or lawsuit was pending (APL art. 73 ¶3).
func lateDays(due, from, to time.Time, paused []Suspension) int64 {
	if from.Before(due) {
		from = due
	}
	if !to.After(from) {
		return 0
	}
	n := int64(daysBetween(from, to))
	// The days counted are [from+1, to+1).
	lo, hi := addDays(from, 1), addDays(to, 1)
	for _, x := range spans(paused, to) {
		a, b := x.from, x.to
		if a.Before(lo) {
			a = lo
		}
		if b.After(hi) {
			b = hi
		}
		if b.After(a) {
			n -= int64(daysBetween(a, b))
		}
	}
	return n
}

// accrue is 3 % a day of owed for days, rounded down, at most room.
func accrue(owed, days, room int64) int64 {
	if owed <= 0 || days <= 0 || room <= 0 {
		return 0
	}
	if days > 1_000_000 { // far past any cap; keeps the product small
		days = 1_000_000
	}
	return min(owed*surchargeRate*days/100, room)
}

// Surcharges returns the late-payment surcharge (加处罚款, APL art. 72 ¶1)
// recorded with each payment of a fine of fineFen due on due; out[i] belongs
// to pays[i]. The payments are taken in date order (equal dates in the order
// given).
//
// The surcharge is 3 % a day of the amount still owed, for each day after
// due: each payment carries what accrued since the previous payment (or since
// due) on the amount owed before it. So the days before a part-payment count
// once, on the whole remainder, and the days after it only on what is still
// owed. Days inside a paused span (a pending reconsideration or lawsuit,
// From inclusive to Resumed exclusive, Resumed zero while still pending) do
// not count (art. 73 ¶3). Each amount is rounded down to the fen, and the
// total over all payments never exceeds the fine (art. 72 ¶1).
func Surcharges(fineFen int64, due time.Time, pays []PaymentIn, paused []Suspension) []int64 {
	out := make([]int64, len(pays))
	if fineFen <= 0 || due.IsZero() {
		return out
	}
	due = Day(due)
	order := make([]int, len(pays))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return Day(pays[order[a]].On).Before(Day(pays[order[b]].On)) })
	owed, total, last := fineFen, int64(0), due
	for _, i := range order {
		on := Day(pays[i].On)
		if on.IsZero() {
			continue
		}
		s := accrue(owed, lateDays(due, last, on, paused), fineFen-total)
		out[i] = s
		total += s
		if on.After(last) {
			last = on
		}
		owed -= pays[i].AmountFen
	}
	return out
}

// SurchargeOwed is the surcharge accrued up to today on what is still owed
// of the fine after the payments, beyond what Surcharges records with them:
// 3 % a day of the unpaid remainder since due or the last payment, leaving
// out paused days, and at most the fine less the surcharges recorded.
func SurchargeOwed(fineFen int64, due time.Time, pays []PaymentIn, paused []Suspension, today time.Time) int64 {
	if fineFen <= 0 || due.IsZero() || today.IsZero() {
		return 0
	}
	due = Day(due)
	owed, total, last := fineFen, int64(0), due
	for _, s := range Surcharges(fineFen, due, pays, paused) {
		total += s
	}
	for _, p := range pays {
		if on := Day(p.On); !on.IsZero() {
			owed -= p.AmountFen
			if on.After(last) {
				last = on
			}
		}
	}
	return accrue(owed, lateDays(due, last, Day(today), paused), fineFen-total)
}

// Surcharge is the surcharge of a fine paid whole on paidOn (or unpaid up to
// paidOn): Surcharges with one payment of the whole fine. It is kept for
// callers that record a single payment; use Surcharges for part-payments.
func Surcharge(fineFen int64, due, paidOn time.Time) int64 {
	return Surcharges(fineFen, due, []PaymentIn{{AmountFen: fineFen, On: paidOn}}, nil)[0]
}
