package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"zhifa/internal/cases"
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
