package account

import (
	"testing"

	"zhifa/internal/zhifa"
)

func TestUserInputValidate(t *testing.T) {
	cases := []struct {
		name   string
		in     UserInput
		create bool
		fields []string // fields that must have a message; none = valid
	}{
		{"good officer", UserInput{Username: "maoba-officer5", DisplayName: "王五", Role: zhifa.RoleOfficer, TownCode: "maoba", Password: "long-enough-1"}, true, nil},
		{"good county reviewer", UserInput{Username: "county-r2", DisplayName: "李四", Role: zhifa.RoleCountyReviewer, Password: "long-enough-1"}, true, nil},
		{"town role without town", UserInput{Username: "x-officer", DisplayName: "王五", Role: zhifa.RoleOfficer, Password: "long-enough-1"}, true, []string{"town"}},
		{"county role with town", UserInput{Username: "x-county", DisplayName: "王五", Role: zhifa.RoleCountyAdmin, TownCode: "maoba", Password: "long-enough-1"}, true, []string{"town"}},
		{"everything wrong", UserInput{Username: "A", Phone: "phone", Role: "boss", Password: "short"}, true, []string{"username", "display_name", "phone", "role", "password"}},
		{"password equal to username", UserInput{Username: "maoba-officer5", DisplayName: "王五", Role: zhifa.RoleOfficer, TownCode: "maoba", Password: "maoba-officer5"}, true, []string{"password"}},
		{"head of a town", UserInput{Username: "maoba-head2", DisplayName: "孙某某", Role: zhifa.RoleHead, TownCode: "maoba", Password: "long-enough-1"}, true, nil},
		{"head without town", UserInput{Username: "x-head", DisplayName: "孙某某", Role: zhifa.RoleHead, Password: "long-enough-1"}, true, []string{"town"}},
		{"reviewer with qualification", UserInput{DisplayName: "李四", Role: zhifa.RoleTownReviewer, TownCode: "maoba", LegalQualificationNo: " A20151234567890 "}, false, nil},
		{"reviewer with bad qualification", UserInput{DisplayName: "李四", Role: zhifa.RoleCountyReviewer, LegalQualificationNo: "A2015-123"}, false, []string{"legal_qualification_no"}},
		{"qualification too long", UserInput{DisplayName: "李四", Role: zhifa.RoleTownReviewer, TownCode: "maoba", LegalQualificationNo: "A1234567890123456789012345678901234567890"}, false, []string{"legal_qualification_no"}},
		{"edit keeps password when blank", UserInput{DisplayName: "王五", Role: zhifa.RoleLeader, TownCode: "maoba"}, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Normalize()
			err := tc.in.Validate(tc.create)
			if len(tc.fields) == 0 {
				if err != nil {
					t.Fatalf("valid input refused: %v", err)
				}
				return
			}
			fe, ok := err.(zhifa.FieldErrors)
			if !ok {
				t.Fatalf("want field errors, got %v", err)
			}
			for _, f := range tc.fields {
				if fe[f] == "" {
					t.Errorf("no message for %s (got %v)", f, fe)
				}
			}
			if len(fe) != len(tc.fields) {
				t.Errorf("messages for %d fields, want %d: %v", len(fe), len(tc.fields), fe)
			}
		})
	}
}

func TestQualificationKeptOnlyForReviewers(t *testing.T) {
	in := UserInput{DisplayName: "王五", Role: zhifa.RoleOfficer, TownCode: "maoba", LegalQualificationNo: "bad-number!"}
	in.Normalize()
	if in.LegalQualificationNo != "" || in.Validate(false) != nil {
		t.Fatalf("an officer's qualification number is kept: %q", in.LegalQualificationNo)
	}
	in = UserInput{DisplayName: "王五", Role: zhifa.RoleCountyReviewer, LegalQualificationNo: " A2015123 "}
	in.Normalize()
	if in.LegalQualificationNo != "A2015123" {
		t.Fatalf("a reviewer's number normalized to %q", in.LegalQualificationNo)
	}
}

func TestHeadRole(t *testing.T) {
	r := zhifa.RoleHead
	if !r.Valid() || r.IsCounty() || r.HoldsCertificate() || r.IsReviewer() || r.Label() != "镇负责人" {
		t.Fatalf("head: valid %v county %v certificate %v reviewer %v label %q", r.Valid(), r.IsCounty(), r.HoldsCertificate(), r.IsReviewer(), r.Label())
	}
	if (&zhifa.Actor{Role: r, TownID: 12}).Scope() != zhifa.ScopeTown {
		t.Fatal("a head's scope is not its town")
	}
}
