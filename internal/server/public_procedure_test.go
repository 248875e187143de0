package server_test

import (
	"net/http"
	"testing"
)

// TestPublicListPublishesProcedureAndRemedies: beside the items, each town's
// public list says who enforces, by which procedure, and how a party may
// challenge a decision (APL art. 39), for anyone without a login.
func TestPublicListPublishesProcedureAndRemedies(t *testing.T) {
	a := newApp(t)
	res := a.client().get("/public/towns/maoba/items")
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, "实施程序与救济渠道", "毛坝镇人民政府", "申请回避", "5个工作日内要求听证",
		"60日内向紫阳县人民政府申请行政复议", "6个月内依法向人民法院提起行政诉讼", "罚缴分离")
}
