package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

var totalsRE = regexp.MustCompile(`共 (\d+) 件 （其中已逾期 (\d+) 件，7日内到期 (\d+) 件）`)

// listTotals reads the totals line of a case list page.
func listTotals(t *testing.T, c *client, path string) [3]int {
	t.Helper()
	res := c.get(path)
	wantStatus(t, res, http.StatusOK)
	m := totalsRE.FindStringSubmatch(text(res.body))
	if m == nil {
		t.Fatalf("GET %s: no totals line in %.300s", path, text(res.body))
	}
	var out [3]int
	for i := range out {
		out[i], _ = strconv.Atoi(m[i+1])
	}
	return out
}

// countTotals counts directly over the cases what the totals line says,
// for one town (0: every town) and a due filter ("", "overdue", "soon").
func countTotals(t *testing.T, a *app, townID int64, due ...string) [3]int {
	t.Helper()
	today := zhifa.Clock(a.clock.Now).Today()
	filter := "true"
	if len(due) > 0 && due[0] == "overdue" {
		filter = "d.next_due_on < $2"
	} else if len(due) > 0 && due[0] == "soon" {
		filter = "d.next_due_on <= $3"
	}
	var out [3]int
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE d.next_due_on < $2),
				count(*) FILTER (WHERE d.next_due_on >= $2 AND d.next_due_on <= $3)
			FROM cases c LEFT JOIN case_due d ON d.case_id = c.id WHERE ($1 = 0 OR c.town_id = $1) AND `+filter,
			townID, today.Format(time.DateOnly), today.AddDate(0, 0, 7).Format(time.DateOnly)).
			Scan(&out[0], &out[1], &out[2])
	})
	return out
}

// The list as it opens (no filter), and its ?due= filters alone, read
// their totals from case_due_counts,
// kept by the triggers of case_due (one row per case, made by a trigger on
// cases): after cases are added, their deadlines moved and one deleted
// (its case_due row with it), the town's and the
// county's totals still equal a count over the cases, and a recount finds
// nothing to correct.
func TestCaseListTotalsKeptBySummary(t *testing.T) {
	a := newApp(t)
	seedList(t, a, "maoba", "汇总甲", 2019, 40)
	leader := a.login("maoba-leader")
	county := a.login("county-reviewer")
	maoba, chengguan := townID(a, "maoba"), townID(a, "chengguan")
	check := func(step string) {
		t.Helper()
		if got, want := listTotals(t, leader, "/cases"), countTotals(t, a, maoba); got != want {
			t.Errorf("%s: 毛坝镇's totals %v, counted %v", step, got, want)
		}
		if got, want := listTotals(t, county, "/cases"), countTotals(t, a, 0); got != want {
			t.Errorf("%s: the county's totals %v, counted %v", step, got, want)
		}
		if got, want := listTotals(t, county, "/cases?town=chengguan"), countTotals(t, a, chengguan); got != want {
			t.Errorf("%s: 城关镇's totals for the county %v, counted %v", step, got, want)
		}
		for _, due := range []string{"overdue", "soon"} {
			if got, want := listTotals(t, leader, "/cases?due="+due), countTotals(t, a, maoba, due); got != want {
				t.Errorf("%s: 毛坝镇's totals of ?due=%s %v, counted %v", step, due, got, want)
			}
			if got, want := listTotals(t, county, "/cases?due="+due), countTotals(t, a, 0, due); got != want {
				t.Errorf("%s: the county's totals of ?due=%s %v, counted %v", step, due, got, want)
			}
		}
	}
	check("after the seed")
	ctx := context.Background()
	owner := a.owner()
	for _, step := range []struct{ name, sql string }{
		{"deadlines moved", `UPDATE case_due d SET next_due_on = next_due_on - 10 FROM cases c
			WHERE c.id = d.case_id AND c.party_name LIKE '汇总甲%' AND d.next_due_on IS NOT NULL AND c.id % 3 = 0`},
		{"deadlines cleared", `UPDATE case_due d SET next_due_on = NULL, next_due_key = '' FROM cases c
			WHERE c.id = d.case_id AND c.party_name LIKE '汇总甲%' AND c.id % 7 = 0`},
		{"deadlines set", fmt.Sprintf(`UPDATE case_due d SET next_due_on = '%s', next_due_key = 'decision' FROM cases c
			WHERE c.id = d.case_id AND c.party_name LIKE '汇总甲%%' AND d.next_due_on IS NULL`,
			zhifa.Clock(a.clock.Now).Today().AddDate(0, 0, 3).Format(time.DateOnly))},
	} {
		if _, err := owner.Exec(ctx, step.sql); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		check(step.name)
	}
	// A case filed through the form counts at once.
	officer := a.login("maoba-officer1")
	fileCase(t, officer, a.caseForm("maoba-officer1", "maoba-officer3"))
	check("a case filed")
	// A case deleted (by the owner: the app never deletes one) leaves the
	// counts.
	if _, err := owner.Exec(ctx, `WITH c AS (SELECT max(id) AS id FROM cases WHERE party_name LIKE '汇总甲%'),
			o AS (DELETE FROM case_officers WHERE case_id = (SELECT id FROM c))
		DELETE FROM cases WHERE id = (SELECT id FROM c)`); err != nil {
		t.Fatalf("delete a case: %v", err)
	}
	check("a case deleted")

	var differing int64
	if err := owner.QueryRow(ctx, `SELECT case_due_counts_rebuild()`).Scan(&differing); err != nil {
		t.Fatal(err)
	}
	if differing != 0 {
		t.Errorf("the recount corrected %d rows of case_due_counts", differing)
	}
}
