package server_test

import (
	"context"
	"testing"
	"time"

	"zhifa/internal/pdf"
	"zhifa/internal/seed"
	"zhifa/internal/zhifa"
	"zhifa/web"
)

func TestH4Timing(t *testing.T) {
	a := newApp(t)
	if _, err := seed.DemoDocuments(context.Background(), a.db.DB, web.RenderDocument); err != nil {
		t.Fatal(err)
	}
	id := a.townCases("maoba")[0]
	ctx := zhifa.WithActor(context.Background(), &zhifa.Actor{Role: zhifa.RoleCountyReviewer, DisplayName: "x"})
	r := pdf.New()
	defer r.Close()
	for i := 0; i < 4; i++ {
		s := time.Now()
		d, err := a.srv.Docs.Dossier(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		g := time.Since(s)
		html, _ := web.DossierHTML(ctx, d, &web.Paging{})
		h := time.Since(s)
		out, err := r.Render(ctx, html)
		if err != nil {
			t.Fatal(err)
		}
		p1 := time.Since(s)
		_, _, _ = pdf.DestPages(out)
		t.Logf("gather %v html %v (%d bytes) render %v dest %v", g, h-g, len(html), p1-h, time.Since(s)-p1)
	}
}
