package web

import (
	"context"
	"os"
	"testing"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/documents"
	"zhifa/internal/workflow"
)

func TestH1Scratch(t *testing.T) {
	no := "紫毛坝综执立〔2025〕1号"
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.Local) }
	f := day(9, 1)
	r := day(9, 11)
	c := &cases.Case{ID: 1, State: workflow.Investigating, Number: &no, FiledOn: &f, Source: "complaint",
		PartyKind: "person", PartyName: "刘某", PartyIDNumber: "610924197001011234", PartyAddress: "毛坝镇干沙村三组",
		PlaceVillage: "干沙村", PlaceAddress: "刘某住宅外", ActOn: day(8, 20), DiscoveredOn: day(8, 25), TransferBody: "紫阳县公安局",
		ItemName: "在林区野外用火", Facts: "当事人在住宅外焚烧垃圾，火势蔓延至林地。",
		Officers: []cases.Officer{{UserID: 1, DisplayName: "王某", Lead: true, CertNumber: "61001"}, {UserID: 2, DisplayName: "李某", CertNumber: "61002"}},
		Preservations: []cases.Preservation{{ID: 1, Kind: "preserve", StartedOn: f, Inventory: "打火机1个\n垃圾袋2个", EndedOn: &r, Disposal: "退还"},
			{ID: 2, Kind: "seize", StartedOn: f, Inventory: "三轮车1辆", EndedOn: &r, Disposal: "解除"}},
		Suspensions: []cases.Suspension{{ID: 1, StartedOn: f, Reason: "等待鉴定", ResumedOn: &r}},
		Evidence:    []cases.Evidence{{Title: "现场照片", Kind: "scene_record", ContentType: "image/jpeg", Filename: "a.jpg", SHA256: "ab12", CollectedBy: "王某", CollectedOn: f}},
	}
	out, _ := os.Create("/tmp/h1.html")
	defer out.Close()
	out.WriteString(`<html><head><meta charset="utf-8"><link rel="stylesheet" href="/work/main/web/static/doc.css"></head><body>`)
	for _, m := range doctype.All[:17] {
		d := &documents.Doc{Kind: m.Kind, Meta: doctype.Of(m.Kind), Case: c, S: documents.DefaultSettings(), Issuer: "紫阳县毛坝镇人民政府",
			Team: "毛坝镇综合行政执法队", CaseNumber: no, Number: "紫毛坝综执X〔2025〕1号", Fields: map[string]string{}, IssuedOn: f}
		for _, fl := range m.Fields {
			d.Fields[fl.Name] = "【" + fl.Label + "】"
		}
		d.Fields["qa"] = "问：你好\n答：好"
		if err := DocumentBody(d).Render(context.Background(), out); err != nil {
			t.Fatal(err)
		}
		out.WriteString("<hr>")
	}
}
