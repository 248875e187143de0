package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/cases"
	"zhifa/internal/database"
	"zhifa/internal/zhifa"
)

// Helpers that walk a case through the general procedure over HTTP, as the
// people who take each step would.

// checklist is a review checklist with every point answered: "ok" or, for
// the points named in fail, "fail".
func checklist(fail ...string) url.Values {
	v := url.Values{}
	for _, p := range cases.ReviewPoints {
		v.Set("check_"+p.Value, "ok")
	}
	for _, p := range fail {
		v.Set("check_"+p, "fail")
	}
	return v
}

// with merges forms.
func with(forms ...url.Values) url.Values {
	out := url.Values{}
	for _, f := range forms {
		for k, vs := range f {
			out[k] = append(out[k], vs...)
		}
	}
	return out
}

// confirmed is the confirmation box of an irreversible step.
var confirmed = url.Values{"confirm": {"1"}}

// filedCase registers a lead as officer1 (which asks for filing) and has the
// team leader approve it; it returns the case's path.
func (a *app) filedCase(t *testing.T, form url.Values) string {
	t.Helper()
	officer := a.loginAs(t, "maoba-officer1")
	leader := a.loginAs(t, "maoba-leader")
	res := officer.post("/cases/new", form)
	if res.status != http.StatusSeeOther || !caseIDRE.MatchString(res.location) {
		t.Fatalf("filing: status %d to %q: %.600s", res.status, res.location, text(res.body))
	}
	mustAct(t, leader, res.location, "file", confirmed)
	return res.location
}

// investigated takes a case under investigation through it: evidence,
// facts and the proposed penalty (fine in yuan; "" for a warning only).
func investigated(t *testing.T, officer *client, path, fine string) {
	t.Helper()
	res := officer.upload(path+"/evidence", map[string]string{"kind": "scene_record", "title": "现场照片", "collected_on": "2025-08-25"}, "scene.jpg", jpegBytes)
	wantStatus(t, res, http.StatusSeeOther)
	mustAct(t, officer, path, "update_facts", url.Values{"text": {"经查，当事人于2025年8月20日在住宅外焚烧垃圾。"}})
	p := url.Values{"tier": {"一般"}, "reasoning": {"违法情节一般，按裁量基准一般阶次。"}}
	if fine == "" {
		p.Set("warning", "1")
	} else {
		p.Set("amount", fine)
	}
	mustAct(t, officer, path, "propose", p)
}

// reviewed submits the proposal and has the reviewer pass it.
func reviewed(t *testing.T, officer, reviewer *client, path string) {
	t.Helper()
	mustAct(t, officer, path, "submit_review", nil)
	mustAct(t, reviewer, path, "pass_review", with(checklist(), url.Values{"text": {"事实清楚，证据确凿，定性准确，适用依据正确，程序合法，裁量适当。"}}))
}

// people are the 毛坝镇 accounts that take a case's steps: the handlers
// (officer1 leads, officer3), the team leader, the head who decides and the
// town's legal reviewer.
type people struct {
	officer, officer3, leader, head, reviewer *client
}

func (a *app) people(t *testing.T) people {
	t.Helper()
	return people{officer: a.loginAs(t, "maoba-officer1"), officer3: a.loginAs(t, "maoba-officer3"),
		leader: a.loginAs(t, "maoba-leader"), head: a.loginAs(t, "maoba-head"), reviewer: a.loginAs(t, "maoba-reviewer")}
}

// noticed files a case with form, investigates it with the proposed fine
// (yuan), has the proposal reviewed and serves the notice of the intended
// penalty; it returns the case's path.
func (p people) noticed(t *testing.T, a *app, form url.Values, fine string) string {
	t.Helper()
	path := a.filedCase(t, form)
	mustAct(t, p.officer, path, "investigate", nil)
	investigated(t, p.officer, path, fine)
	reviewed(t, p.officer, p.reviewer, path)
	a.serveNotice(t, p.officer, path, url.Values{"text": {"拟处罚款" + fine + "元。"}})
	return path
}

// decision is the head's decision form: a fine in yuan, confirmed.
func decision(fine string) url.Values { return with(url.Values{"amount": {fine}}, confirmed) }

// itemForm is caseForm under the catalogue item with code.
func (a *app) itemForm(code string, officers ...string) url.Values {
	v := a.caseForm(officers...)
	v.Set("item", itoa(a.itemID(code)))
	return v
}

// latestID is the id of the newest row of table (case_statements,
// case_recusals, evidence...) for the case at path.
func (a *app) latestID(path, table string) string {
	a.t.Helper()
	var id int64
	a.mustTx(database.Settings{Scope: zhifa.ScopeCountyRead}, func(tx pgx.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT coalesce(max(id), 0) FROM `+pgx.Identifier{table}.Sanitize()+` WHERE case_id = $1`,
			caseID(a.t, path)).Scan(&id)
	})
	return itoa(id)
}

// day is a date of 2025 at nine in the morning, for the test clock.
func day(month time.Month, d int) time.Time {
	return time.Date(2025, month, d, 9, 0, 0, 0, zhifa.Local)
}
