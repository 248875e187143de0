package evaluation

import (
	"slices"
	"strings"
	"testing"

	"zhifa/internal/zhifa"
)

func TestDrawIsReproducible(t *testing.T) {
	eligible := []int64{41, 7, 19, 3, 88, 56, 23, 12, 64, 30}
	a := Draw(20250901, eligible, 4)
	if len(a) != 4 {
		t.Fatalf("drew %d, want 4", len(a))
	}
	// The same seed draws the same cases whatever order they came in.
	shuffled := slices.Clone(eligible)
	slices.Reverse(shuffled)
	if b := Draw(20250901, shuffled, 4); !slices.Equal(a, b) {
		t.Errorf("same seed, other order: %v, want %v", b, a)
	}
	for _, id := range a {
		if !slices.Contains(eligible, id) {
			t.Errorf("drew %d, not eligible", id)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(a)))) != 4 {
		t.Errorf("a case drawn twice: %v", a)
	}
	// Another seed draws another sample (for these ids and seeds).
	if c := Draw(7, eligible, 4); slices.Equal(a, c) {
		t.Errorf("seeds 20250901 and 7 drew the same sample %v", a)
	}
	// Each town draws on its own stream.
	if s := DrawStream(20250901, 12, eligible, 4); slices.Equal(a, s) {
		t.Errorf("stream 12 drew the same as stream 0: %v", s)
	}
	// Fewer eligible than asked: all of them, each once.
	if all := Draw(1, []int64{5, 2, 5}, 10); len(all) != 2 || !slices.Contains(all, 2) || !slices.Contains(all, 5) {
		t.Errorf("drew %v from 5, 2, 5", all)
	}
	if none := Draw(1, nil, 3); len(none) != 0 {
		t.Errorf("drew %v from nothing", none)
	}
}

func TestDrawIsUniformEnough(t *testing.T) {
	// Every case is drawn about as often over many seeds.
	eligible := []int64{1, 2, 3, 4, 5}
	counts := map[int64]int{}
	for seed := int64(1); seed <= 5000; seed++ {
		for _, id := range Draw(seed, eligible, 2) {
			counts[id]++
		}
	}
	for _, id := range eligible {
		if n := counts[id]; n < 1700 || n > 2300 { // 2000 expected
			t.Errorf("case %d drawn %d times in 5000 draws of 2 of 5", id, n)
		}
	}
}

func defaultSheet() *Sheet { return &Sheet{Items: DefaultItems, Grades: DefaultGrades} }

func TestDefaultSheet(t *testing.T) {
	s := defaultSheet()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := s.PointsOf(TierForm); got != 20 {
		t.Errorf("form items: %v points, want 20", got)
	}
	if got := s.PointsOf(TierContent); got != 80 {
		t.Errorf("content items: %v points, want 80", got)
	}
	if n := len(s.Of(TierVeto)); n != 12 {
		t.Errorf("%d veto items, want 12", n)
	}
	// Every item the brief names as decided by the record has a checker.
	for _, code := range []string{"V01", "V02", "V03", "V08", "V09", "V10", "V11", "F03", "F04", "F05", "F07", "C02", "C12", "C16", "C18", "C19", "C20"} {
		if !Checkable(code) {
			t.Errorf("%s has no automatic check", code)
		}
	}
	for code := range checkers {
		if _, ok := s.Item(code); !ok {
			t.Errorf("checker %s is not on the sheet", code)
		}
	}
}

func TestGrades(t *testing.T) {
	s := defaultSheet()
	for _, c := range []struct {
		total float64
		veto  bool
		want  string
	}{
		{100, false, "优秀"}, {90, false, "优秀"}, {89.5, false, "良好"}, {80, false, "良好"}, {79.9, false, "合格"},
		{60, false, "合格"}, {59.5, false, "不合格"}, {0, false, "不合格"}, {100, true, "不合格"}, {95, true, "不合格"},
	} {
		if got := s.GradeOf(c.total, c.veto); got != c.want {
			t.Errorf("GradeOf(%v, veto %v) = %s, want %s", c.total, c.veto, got, c.want)
		}
	}
}

func TestTallyAndApply(t *testing.T) {
	s := defaultSheet()
	scores := func() []*Score {
		var out []*Score
		for _, it := range s.Items {
			sc := &Score{Item: it}
			switch it.Code {
			case "C18": // late service: the whole item
				sc.AutoResult, sc.AutoDeduction = ResultFail, 4
			case "C07":
				sc.AutoResult = ResultNA
			case "V09":
				sc.AutoResult = ResultPass
			}
			out = append(out, sc)
		}
		return out
	}
	// Confirming everything: 100 - 4.
	sc := scores()
	if err := apply(sc, map[string]Entry{"C18": {Deduction: "4"}}); err != nil {
		t.Fatal(err)
	}
	if p, total, veto, g := Tally(s, sc); p != 96 || total != 96 || veto || g != "优秀" {
		t.Errorf("tally %v %v %v %s, want 96 优秀", p, total, veto, g)
	}
	// Refusals: an override without a reason, a deduction above the points,
	// a manual deduction without a reason.
	err := apply(scores(), map[string]Entry{"C18": {Deduction: "2"}, "C05": {Deduction: "9"}, "C06": {Deduction: "1"}, "V09": {Result: ResultFail}})
	got, ok := err.(zhifa.FieldErrors)
	if !ok {
		t.Fatalf("refusal %v, want field errors", err)
	}
	want := map[string]string{"why_C18": "C18：改变系统检查结果须写明理由。", "d_C05": "C05：扣分不能超过本项分值8分（扣完为止）。",
		"why_C06": "C06：扣分须写明理由。", "why_V09": "V09：改变系统检查结果须写明理由。"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	// A veto item failed with a reason: 不合格 whatever the points, score 0.
	sc = scores()
	if err := apply(sc, map[string]Entry{"C18": {Deduction: "4"}, "V05": {Result: ResultFail, Reason: "违法事实认定不清"}}); err != nil {
		t.Fatal(err)
	}
	if p, total, veto, g := Tally(s, sc); p != 96 || total != 0 || !veto || g != "不合格" {
		t.Errorf("tally with a veto %v %v %v %s, want 96 points, 0, 不合格", p, total, veto, g)
	}
	// Deductions floor at the item's points and a not-applicable item stays so.
	sc = scores()
	if err := apply(sc, map[string]Entry{"C18": {Deduction: "4"}, "C05": {Deduction: "8", Reason: "笔录无签名"}, "C03": {Deduction: "0.5", Reason: "缺日期"}}); err != nil {
		t.Fatal(err)
	}
	if p, _, _, g := Tally(s, sc); p != 87.5 || g != "良好" {
		t.Errorf("tally %v %s, want 87.5 良好", p, g)
	}
	for _, x := range sc {
		if x.Item.Code == "C07" && x.Result != ResultNA {
			t.Errorf("C07 result %q, want na", x.Result)
		}
	}
}

// Every text of a sheet is bounded: an item's content over 500 characters
// is refused with the limits named.
func TestSheetTextsAreBounded(t *testing.T) {
	sh := defaultSheet()
	if err := sh.Validate(); err != nil {
		t.Fatalf("the default sheet: %v", err)
	}
	items := append([]Item(nil), sh.Items...)
	items[0].Text = strings.Repeat("字", 501)
	long := &Sheet{Items: items, Grades: sh.Grades}
	if err := long.Validate(); err == nil || !strings.Contains(err.Error(), "评查内容不超过500字") {
		t.Errorf("an over-long item: %v", err)
	}
}
