package media

import (
	"strconv"
	"strings"
)

// ParseISO6709 reads a position as phones write it in videos (ISO 6709:
// "+32.5201+108.5375/", with an altitude "+32.5201+108.5375+573.764/").
// Latitude and longitude may also be in degrees and minutes (±DDMM.M,
// ±DDDMM.M) or with seconds (±DDMMSS.S, ±DDDMMSS.S); anything after the
// numbers (a CRS, the closing "/") is ignored.
func ParseISO6709(s string) (*Place, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return nil, false
	}
	var parts []string
	for len(s) > 0 && (s[0] == '+' || s[0] == '-') && len(parts) < 3 {
		end := 1
		for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
			end++
		}
		parts = append(parts, s[:end])
		s = s[end:]
	}
	if len(parts) < 2 {
		return nil, false
	}
	lat, ok1 := isoAngle(parts[0], 2)
	lon, ok2 := isoAngle(parts[1], 3)
	if !ok1 || !ok2 {
		return nil, false
	}
	p := &Place{Lat: lat, Lon: lon}
	if len(parts) == 3 {
		if alt, err := strconv.ParseFloat(parts[2], 64); err == nil {
			p.Alt = &alt
		}
	}
	if !p.valid() {
		return nil, false
	}
	return p, true
}

// isoAngle reads a signed ISO 6709 angle whose degrees take deg digits:
// the digits before the point tell whether minutes and seconds follow.
func isoAngle(s string, deg int) (float64, bool) {
	sign := 1.0
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	whole, frac, _ := strings.Cut(s, ".")
	if _, err := strconv.ParseUint(whole, 10, 32); err != nil || (frac != "" && strings.Trim(frac, "0123456789") != "") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	switch len(whole) {
	case deg: // degrees
	case deg + 2: // degrees and minutes
		d := float64(int(v) / 100)
		v = d + (v-d*100)/60
	case deg + 4: // degrees, minutes and seconds
		d := float64(int(v) / 10000)
		m := float64(int(v) / 100 % 100)
		v = d + m/60 + (v-d*10000-m*100)/3600
	default:
		return 0, false
	}
	return sign * v, true
}
