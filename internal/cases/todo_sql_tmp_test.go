package cases

import (
	"os"
	"testing"

	"zhifa/internal/zhifa"
)

func TestTmpDumpTodoSQL(t *testing.T) {
	for role, qs := range RoleQueues {
		a := &zhifa.Actor{Role: role}
		os.WriteFile("/tmp/todo_sql_"+string(role)+".sql", []byte(countSQL(a, qs)), 0o644)
	}
	os.WriteFile("/tmp/todo_sql_rows_approvals.sql", []byte(rowsSQL(QueueApprovals)), 0o644)
}
