package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/workflow"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func main() {
	day := func(m time.Month, d int) *time.Time { t := time.Date(2025, m, d, 0, 0, 0, 0, zhifa.Local); return &t }
	no := "紫毛坝综执立〔2025〕3号"
	c := &cases.Case{ID: 7, State: workflow.Decided, Procedure: workflow.General, Number: &no, FiledOn: day(9, 1),
		PartyKind: "person", PartyName: "刘某", PartyIDNumber: "610924197001011234", PartyAddress: "毛坝镇干沙村三组", PartyPhone: "13800001234",
		ItemName: "对森林防火期内未经批准擅自在森林防火区内野外用火的行政处罚",
		Facts: "经查，当事人于2025年8月20日在住宅外焚烧垃圾。", ProposalReasoning: "违法情节一般，按裁量基准一般阶次。",
		NoticeServedOn: day(9, 1), DecidedOn: day(9, 1), StatementWaived: true,
		Penalties: []cases.Penalty{{Kind: workflow.KindFine, AmountFen: 100000}, {Kind: workflow.KindOrder, Measure: "清理焚烧现场", DueOn: "2025-09-15"}}, FineFen: 100000, HasOrder: true,
		DecisionBasis: "《森林防火条例》第五十条、第五十三条：责令停止违法行为，给予警告，对个人并处二百元以上三千元以下罚款",
		Evidence: []cases.Evidence{{Kind: "scene_record", Title: "现场照片"}},
		Officers: []cases.Officer{{DisplayName: "王某", CertNumber: "61001"}, {DisplayName: "李某", CertNumber: "61002"}}}
	k := doctype.Kind(os.Args[1])
	d := &documents.Doc{Kind: k, Meta: doctype.Of(k), Case: c, S: documents.DefaultSettings(), Issuer: "紫阳县毛坝镇人民政府", Team: "毛坝镇综合行政执法队",
		Bureau: "紫阳县司法局", CaseNumber: no, Number: "紫毛坝综执罚〔2025〕1号", IssuedOn: *day(9, 1),
		Fields: map[string]string{"facts": c.Facts, "evidence": "1.现场照片（现场笔录）。", "statement": "当事人书面表示放弃陈述、申辩的权利。", "reasons": "违法情节一般，按裁量基准一般阶次。"}}
	html, err := web.RenderDocument(context.Background(), d)
	if err != nil {
		panic(err)
	}
	fmt.Printf(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="file:///work/main/web/static/doc.css"></head><body class="doc-print"><div class="doc-sheet">%s</div></body></html>`, html)
}
