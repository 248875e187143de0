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
