package server_test

import (
	"strings"
	"testing"
)

// TestFirstDemoCaseTimelineAgrees: 毛坝镇's first case (刘某, a fire that
// spread into the woods) has a timeline whose dates are the case's own:
// filed 03-25, decided 04-21, served 04-22, paid 05-06; the decision is the
// head's and the review the reviewer's.
func TestFirstDemoCaseTimelineAgrees(t *testing.T) {
	a := newApp(t)
	leader := a.login("maoba-leader")
	path := "/cases/" + itoa(a.townCases("maoba")[0])
	page := leader.get(path)
	mustContain(t, page, "紫毛坝综执立〔2025〕1号", "刘某", "2025-03-25", "2025-04-21")
	entries := timeline(t, page)
	for _, want := range []struct{ day, summary string }{
		{"2025-03-25", "批准立案"},
		{"2025-04-14", "法制审核通过"},
		{"2025-04-15", "送达行政处罚事先告知书"},
		{"2025-04-21", "作出处罚决定：责令改正：补植树木60棵"},
		{"2025-04-22", "进入“送达”"},
		{"2025-05-06", "登记缴纳罚款3000元"},
		{"2025-05-28", "结案"},
	} {
		found := false
		for _, e := range entries {
			if strings.Contains(e, want.summary) {
				found = true
				if !strings.HasPrefix(e, want.day) {
					t.Errorf("timeline entry %q is dated %q, want %s", want.summary, e[:min(len(e), 16)], want.day)
				}
			}
		}
		if !found {
			t.Errorf("timeline has no %q: %q", want.summary, entries)
		}
	}
	wantOrder(t, entries, "批准立案", "法制审核通过", "作出处罚决定", "进入“送达”", "登记缴纳罚款3000元", "结案")
}
