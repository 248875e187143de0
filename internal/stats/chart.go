package stats

import (
	"math"
	"strconv"
)

// Chart is a bar chart drawn on the server as SVG: its shapes in the
// viewBox's units (0 0 Width Height), each with a class that
// web/static/stats.css styles (the CSP forbids inline styles), so the page
// needs no script and prints as it shows.
type Chart struct {
	ID, Title     string
	Width, Height float64
	Rects         []Rect
	Texts         []Text
	Lines         []Line
	// Empty: nothing to draw (every number is zero).
	Empty bool
}

// Rect is a bar or a legend's key; Title is its tooltip (and what a
// screen reader says).
type Rect struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

// Text is a label.
type Text struct {
	X, Y  float64
	Class string
	Text  string
}

// Line is an axis or a grid line.
type Line struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

// BarPair is one category of a chart: the period's number and the year
// before's.
type BarPair struct {
	Label       string
	Now, Before int
}

// Coord writes a coordinate for an SVG attribute.
func Coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// niceMax is the top of a scale with four equal steps that holds m: four
// times a whole step of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
// ten.
func niceMax(m int) int {
	if m <= 4 {
		return 4
	}
	need := float64(m) / 4
	p := math.Pow(10, math.Floor(math.Log10(need)))
	for _, f := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if step := f * p; step >= need && step == math.Trunc(step) {
			return int(step) * 4
		}
	}
	return int(math.Ceil(need)) * 4
}

const (
	chartWidth = 720.0
	legendH    = 30.0
)

// legend draws the two series' keys at the top.
func legend(c *Chart, nowLabel, beforeLabel string) {
	x := 8.0
	for _, s := range []struct{ class, label string }{{"bar-now", "本期（" + nowLabel + "）"}, {"bar-before", "上年同期（" + beforeLabel + "）"}} {
		c.Rects = append(c.Rects, Rect{X: x, Y: 8, W: 14, H: 14, Class: s.class})
		c.Texts = append(c.Texts, Text{X: x + 20, Y: 20, Class: "legend", Text: s.label})
		x += 20 + float64(len([]rune(s.label)))*13 + 24
	}
}

func allZero(pairs []BarPair) bool {
	for _, p := range pairs {
		if p.Now != 0 || p.Before != 0 {
			return false
		}
	}
	return true
}

func maxOf(pairs []BarPair) int {
	m := 0
	for _, p := range pairs {
		m = max(m, p.Now, p.Before)
	}
	return m
}

// HorizontalBars draws one row per category (towns, domains): the
// period's bar over the year before's, each with its number.
func HorizontalBars(id, title string, pairs []BarPair, nowLabel, beforeLabel string) Chart {
	const (
		labelW = 132.0 // the categories' names
		valueW = 56.0  // room for the longest bar's number
		band   = 30.0
		barH   = 11.0
		axisH  = 24.0
	)
	c := Chart{ID: id, Title: title, Width: chartWidth, Height: legendH + float64(len(pairs))*band + axisH, Empty: allZero(pairs)}
	legend(&c, nowLabel, beforeLabel)
	top, plotW := legendH, chartWidth-labelW-valueW
	scale := float64(niceMax(maxOf(pairs)))
	bottom := top + float64(len(pairs))*band
	for i := 0; i <= 4; i++ {
		x := labelW + plotW*float64(i)/4
		c.Lines = append(c.Lines, Line{X1: x, Y1: top, X2: x, Y2: bottom, Class: "grid"})
		c.Texts = append(c.Texts, Text{X: x, Y: bottom + 16, Class: "tick", Text: strconv.Itoa(int(scale) * i / 4)})
	}
	for i, p := range pairs {
		y := top + float64(i)*band
		c.Texts = append(c.Texts, Text{X: labelW - 8, Y: y + band/2 + 4, Class: "label label-end", Text: p.Label})
		for j, s := range []struct {
			class string
			n     int
			when  string
		}{{"bar-now", p.Now, "本期"}, {"bar-before", p.Before, "上年同期"}} {
			by := y + 4 + float64(j)*barH
			w := plotW * float64(s.n) / scale
			c.Rects = append(c.Rects, Rect{X: labelW, Y: by, W: w, H: barH, Class: s.class,
				Title: p.Label + " " + s.when + " " + strconv.Itoa(s.n) + " 件"})
			if s.n != 0 { // no bar, no number: the grid says 0
				c.Texts = append(c.Texts, Text{X: labelW + w + 4, Y: by + barH - 2, Class: "value " + s.class + "-value", Text: strconv.Itoa(s.n)})
			}
		}
	}
	c.Lines = append(c.Lines, Line{X1: labelW, Y1: top, X2: labelW, Y2: bottom, Class: "axis"})
	return c
}

// VerticalBars draws one column pair per category (months): the period's
// bar beside the year before's, the numbers above them.
func VerticalBars(id, title string, pairs []BarPair, nowLabel, beforeLabel string) Chart {
	const (
		axisW = 44.0
		plotH = 220.0
		labH  = 40.0
	)
	c := Chart{ID: id, Title: title, Width: chartWidth, Height: legendH + 16 + plotH + labH, Empty: allZero(pairs)}
	legend(&c, nowLabel, beforeLabel)
	top := legendH + 16 // room for the numbers over the highest bars
	bottom := top + plotH
	plotW := chartWidth - axisW - 8
	scale := float64(niceMax(maxOf(pairs)))
	for i := 0; i <= 4; i++ {
		y := bottom - plotH*float64(i)/4
		c.Lines = append(c.Lines, Line{X1: axisW, Y1: y, X2: axisW + plotW, Y2: y, Class: "grid"})
		c.Texts = append(c.Texts, Text{X: axisW - 6, Y: y + 4, Class: "tick label-end", Text: strconv.Itoa(int(scale) * i / 4)})
	}
	band := plotW / float64(max(len(pairs), 1))
	barW := min(band*0.36, 28)
	showValues := band >= 30
	for i, p := range pairs {
		x := axisW + float64(i)*band + band/2
		c.Texts = append(c.Texts, Text{X: x, Y: bottom + 16, Class: "label label-middle", Text: p.Label})
		for j, s := range []struct {
			class string
			n     int
			when  string
		}{{"bar-now", p.Now, "本期"}, {"bar-before", p.Before, "上年同期"}} {
			h := plotH * float64(s.n) / scale
			bx := x - barW + float64(j)*barW
			c.Rects = append(c.Rects, Rect{X: bx, Y: bottom - h, W: barW, H: h, Class: s.class,
				Title: p.Label + " " + s.when + " " + strconv.Itoa(s.n) + " 件"})
			if showValues && s.n != 0 {
				c.Texts = append(c.Texts, Text{X: bx + barW/2, Y: bottom - h - 4, Class: "value label-middle " + s.class + "-value", Text: strconv.Itoa(s.n)})
			}
		}
	}
	c.Lines = append(c.Lines, Line{X1: axisW, Y1: bottom, X2: axisW + plotW, Y2: bottom, Class: "axis"})
	return c
}
