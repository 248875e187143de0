package filing

import (
	"testing"
	"time"

	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
)

// TestMajor: a decision is major when any criterion of the thresholds is
// met: the fine for the party's kind, the value confiscated (as stated in
// yuan), a licence revoked, a closure; a criterion switched off is not.
func TestMajor(t *testing.T) {
	th := Thresholds{PersonFineFen: 500000, OrgFineFen: 5000000, ConfiscationFen: 1000000, Revocation: true, Closure: true}
	fine := func(yuan int64) Sanction { return Sanction{Kind: workflow.KindFine, AmountFen: yuan * 100} }
	tests := []struct {
		name      string
		th        Thresholds
		party     string
		sanctions []Sanction
		want      string // "" = not major
	}{
		{"person below", th, "person", []Sanction{fine(4999)}, ""},
		{"person at", th, "person", []Sanction{fine(5000)}, "对个人罚款5000元，达到5000元以上的标准"},
		{"fines add up", th, "person", []Sanction{fine(3000), fine(2000)}, "对个人罚款5000元，达到5000元以上的标准"},
		{"org below", th, "org", []Sanction{fine(49999)}, ""},
		{"org at", th, "org", []Sanction{fine(50000)}, "对单位罚款50000元，达到50000元以上的标准"},
		{"warning only", th, "person", []Sanction{{Kind: workflow.KindWarning}}, ""},
		{"confiscation in yuan", th, "person", []Sanction{{Kind: workflow.KindConfiscation, Note: "违法所得6000元，木材价值4,000元"}},
			"没收违法所得、非法财物价值10000元，达到10000元以上的标准"},
		{"confiscation in 万元", th, "person", []Sanction{{Kind: workflow.KindConfiscation, Note: "违法所得1.2万元"}},
			"没收违法所得、非法财物价值12000元，达到10000元以上的标准"},
		{"confiscation without a value", th, "person", []Sanction{{Kind: workflow.KindConfiscation, Note: "非法采伐的木材"}}, ""},
		{"revocation", th, "org", []Sanction{{Kind: workflow.KindRevocation, Note: "林木采伐许可证"}}, "吊销许可证件"},
		{"revocation not a criterion", Thresholds{PersonFineFen: 1, OrgFineFen: 1, ConfiscationFen: 1}, "org",
			[]Sanction{{Kind: workflow.KindRevocation}}, ""},
		{"closure and fine", th, "org", []Sanction{fine(60000), {Kind: workflow.KindSuspension, Note: "责令停产停业一个月"}},
			"对单位罚款60000元，达到50000元以上的标准；责令停产停业、责令关闭或者暂扣许可证件等"},
	}
	for _, tc := range tests {
		got, ok := Major(tc.th, tc.party, tc.sanctions)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s: Major = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
}

// TestFilingClock: the clock the town and the county read.
func TestFilingClock(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.ParseInLocation(time.DateOnly, s, zhifa.Local); return t }
	filed := d("2025-09-25")
	f := Filing{DecidedOn: d("2025-09-01"), DueOn: d("2025-09-22")}
	for _, tc := range []struct {
		today   string
		want    string
		overdue bool
	}{
		{"2025-09-01", "剩余21天", false},
		{"2025-09-22", "今日到期", false},
		{"2025-09-23", "已逾期1天", true},
	} {
		if got := f.Clock(d(tc.today)); got != tc.want || f.Overdue(d(tc.today)) != tc.overdue {
			t.Errorf("on %s: %q overdue %v, want %q %v", tc.today, got, f.Overdue(d(tc.today)), tc.want, tc.overdue)
		}
	}
	if f.Status() != StatusPending {
		t.Errorf("status %s", f.Status())
	}
	f.FiledOn = &filed
	if got := f.Clock(d("2025-10-01")); got != "逾期3天，于2025-09-25报送" || f.Overdue(d("2025-10-01")) || f.Status() != StatusSubmitted {
		t.Errorf("filed late: %q, status %s", got, f.Status())
	}
	f.Conclusion = ConcludeCorrect
	if f.Status().Label() != "责令纠正" {
		t.Errorf("status %s", f.Status().Label())
	}
}
