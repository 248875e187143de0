package authority

import (
	"errors"
	"testing"

	"zhifa/internal/zhifa"
)

func fen(yuan int64) *int64 { f := yuan * 100; return &f }

// 《物业管理条例》第六十三条: 个人一千元以上一万元以下, 单位五万元以上二十万元以下.
var property = Penalties{FineMinPersonFen: fen(1000), FineMaxPersonFen: fen(10000),
	FineMinOrgFen: fen(50000), FineMaxOrgFen: fen(200000), Warning: true}

func TestCheckFine(t *testing.T) {
	dust := Penalties{FineMinPersonFen: fen(10000), FineMaxPersonFen: fen(100000),
		FineMinOrgFen: fen(10000), FineMaxOrgFen: fen(100000), Suspension: true}
	upTo := Penalties{FineMinPersonFen: fen(0), FineMaxPersonFen: fen(50000)}
	floor := Penalties{FineMinOrgFen: fen(200000)} // 货值不足十万元的，并处二十万元以上…; multiples above
	orgOnly := Penalties{FineMinOrgFen: fen(5000), FineMaxOrgFen: fen(50000)}
	for _, tc := range []struct {
		name string
		p    Penalties
		org  bool
		fen  int64
		want string
	}{
		{"at the minimum", dust, true, 1000000, ""},
		{"at the maximum", dust, false, 10000000, ""},
		{"within", property, false, 300000, ""},
		{"no fine imposed", property, false, 0, ""},
		{"below the minimum", dust, true, 100000,
			"罚款1000元低于该事项法定幅度（10000元至100000元），无法定减轻情节的不得低于下限（行政处罚法第三十二条）。"},
		{"one fen below", property, true, 4999999,
			"罚款49999.99元低于该事项法定幅度（50000元至200000元），无法定减轻情节的不得低于下限（行政处罚法第三十二条）。"},
		{"above the maximum", dust, false, 10000001, "罚款100000.01元高于该事项法定上限（10000元至100000元），不得超出法定幅度处罚。"},
		{"above an up-to maximum", upTo, false, 5000100, "罚款50001元高于该事项法定上限（50000元以下），不得超出法定幅度处罚。"},
		{"up to: one fen", upTo, false, 1, ""},
		{"the person's range is not the org's", property, false, 5000000, "罚款50000元高于该事项法定上限（1000元至10000元），不得超出法定幅度处罚。"},
		{"open upper limit", floor, true, 500000000, ""},
		{"below the floor of an open range", floor, true, 10000000,
			"罚款100000元低于该事项法定幅度（200000元以上），无法定减轻情节的不得低于下限（行政处罚法第三十二条）。"},
		{"no fine for persons", orgOnly, false, 20000, "该事项对公民（个人）没有罚款的处罚种类。"},
		{"no fine for organisations", upTo, true, 20000, "该事项对法人或者其他组织（单位）没有罚款的处罚种类。"},
		{"no fine at all", Penalties{Warning: true}, false, 100, "该事项对公民（个人）没有罚款的处罚种类。"},
	} {
		if got := tc.p.CheckFine(tc.org, tc.fen); got != tc.want {
			t.Errorf("%s: CheckFine(%v, %d) = %q, want %q", tc.name, tc.org, tc.fen, got, tc.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	yes, no := true, false
	mining := Penalties{FineMinPersonFen: fen(100000), FineMinOrgFen: fen(100000), Confiscation: true, Suspension: true, Revocation: true}
	for _, tc := range []struct {
		name string
		p    Penalties
		org  *bool
		want string
	}{
		{"both parties", property, nil, "罚款：公民1000元至1万元；单位5万元至20万元；警告"},
		{"persons only", property, &no, "罚款：1000元至1万元；警告"},
		{"organisations only", property, &yes, "罚款：5万元至20万元；警告"},
		{"up to, with half a wan", Penalties{FineMinPersonFen: fen(0), FineMaxPersonFen: fen(15000), Warning: true, Suspension: true, Revocation: true},
			nil, "罚款：公民1.5万元以下；警告；暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业；吊销许可证件"},
		{"open upper limit", mining, nil,
			"罚款：公民不低于10万元，无固定上限；单位不低于10万元，无固定上限；没收违法所得、没收非法财物；暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业；吊销许可证件"},
		{"computed", Penalties{FineMinPersonFen: fen(0), FineMinOrgFen: fen(0), Other: "责令补种树木"}, nil,
			"罚款：公民数额依法计算，无固定幅度；单位数额依法计算，无固定幅度；责令补种树木"},
		{"no fine for that party", Penalties{FineMinOrgFen: fen(5000), FineMaxOrgFen: fen(50000), Other: "通报批评"}, &no, "通报批评"},
		{"nothing", Penalties{}, nil, ""},
	} {
		if got := tc.p.Describe(tc.org); got != tc.want {
			t.Errorf("%s: Describe = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWanYuan(t *testing.T) {
	for fen, want := range map[int64]string{20000: "200元", 300000: "3000元", 1000000: "1万元", 1500000: "1.5万元",
		20000000: "20万元", 200000000: "200万元", 1234500: "12345元", 1000050: "10000.50元"} {
		if got := WanYuan(fen); got != want {
			t.Errorf("WanYuan(%d) = %q, want %q", fen, got, want)
		}
	}
}

func TestPenaltyInputValidation(t *testing.T) {
	base := ItemInput{Code: "ZY-WW-001", Name: "对损毁文物保护单位标志的行政处罚", Kind: "行政处罚", DomainID: "1",
		ViolationBasis: "《文物保护法》", PenaltyBasis: "《文物保护法》", PenaltyTypes: "罚款", FormerDept: "紫阳县文化和旅游广电局"}
	fieldErr := func(in ItemInput, field string) string {
		t.Helper()
		_, err := in.Validate()
		var fe zhifa.FieldErrors
		if !errors.As(err, &fe) {
			t.Fatalf("no field errors: %v", err)
		}
		return fe[field]
	}

	in := base
	in.FineMinPerson, in.FineMaxPerson, in.FineMaxOrg, in.Revocation = "1,000元", "10000", "50000", true
	it, err := in.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if got := it.Describe(nil); got != "罚款：公民1000元至1万元；单位5万元以下；吊销许可证件" {
		t.Errorf("stored %q", got)
	}

	in = base
	in.FineMaxOrg = "5万"
	if got := fieldErr(in, "fine_max_org"); got != "法人或者其他组织（单位）罚款上限应为以元为单位的金额，例如 10000，最多两位小数；没有的请留空。" {
		t.Errorf("5万: %q", got)
	}
	in = base
	in.FineMinOrg, in.FineMaxOrg = "20000", "10000"
	if got := fieldErr(in, "fine_min_org"); got != "法人或者其他组织（单位）罚款下限（20000元）高于上限（10000元），请更正。" {
		t.Errorf("min above max: %q", got)
	}
	in = base
	in.Kind, in.Warning = "行政检查", true
	if got := fieldErr(in, "penalties"); got != "只有行政处罚事项才能填写处罚种类和罚款幅度；行政检查事项请留空。" {
		t.Errorf("行政检查 with a penalty: %q", got)
	}
}

func TestCheckKinds(t *testing.T) {
	p := Penalties{Warning: true, Revocation: true}
	if msg := p.CheckKinds([]string{KindWarning, KindRevocation}); msg != "" {
		t.Errorf("provided kinds refused: %s", msg)
	}
	want := "该事项的处罚依据没有“没收违法所得、没收非法财物”、“其他行政处罚”的处罚种类，不得适用（行政处罚法第四条）。"
	if msg := p.CheckKinds([]string{KindWarning, KindConfiscation, KindOther}); msg != want {
		t.Errorf("got %q, want %q", msg, want)
	}
	if msg := (Penalties{Other: "限期拆除"}).CheckKinds([]string{KindOther}); msg != "" {
		t.Errorf("other kind provided but refused: %s", msg)
	}
}
