package zz

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/zhifa"
)

func TestZZTmpNavSQL(t *testing.T) {
	for _, r := range []zhifa.Role{zhifa.RoleOfficer, zhifa.RoleLeader, zhifa.RoleHead, zhifa.RoleTownReviewer, zhifa.RoleCountyReviewer} {
		a := &zhifa.Actor{Role: r, UserID: 999, TownID: 12}
		sql, _ := cases.NavCountsSQL(a, time.Now())
		rep := strings.NewReplacer("@me", ":me", "@today", ":'today'", "@town", ":town")
		sql = rep.Replace(sql)
		os.WriteFile(fmt.Sprintf("/tmp/zz_nav_%s.sql", r), []byte("EXPLAIN (ANALYZE, BUFFERS) "+sql+";\n"), 0o644)
		if r == zhifa.RoleLeader || r == zhifa.RoleHead {
			parts := strings.Split(strings.TrimPrefix(sql, "SELECT "), ", (SELECT count(*)")
			for i, p := range parts {
				if i > 0 {
					p = "(SELECT count(*)" + p
				}
				os.WriteFile(fmt.Sprintf("/tmp/zz_nav_%s_%d.sql", r, i), []byte("EXPLAIN (ANALYZE) SELECT "+p+";\n"), 0o644)
			}
		}
	}
}
