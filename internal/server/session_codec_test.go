package server

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// The session codec gives back what it was given, the same bytes for the
// same values whatever the map's order, refuses what it cannot store, and
// reads sessions gob wrote before it.
func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 12, 2, 21, 30, 0, 123456789, time.UTC)
	values := map[string]any{
		"user_id": int64(67), "csrf": "tok-令牌", "flash": "", "kept_alive": int64(-1 << 62),
		"count": 42, "remember": true, "off": false,
	}
	b, err := sessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := sessionCodec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || !reflect.DeepEqual(got, values) {
		t.Errorf("decoded %v %#v, want %v %#v", gotDeadline, got, deadline, values)
	}
	for range 20 { // maps iterate in a random order each time
		again, _ := sessionCodec{}.Encode(deadline, got)
		if !bytes.Equal(again, b) {
			t.Fatalf("the same values encoded differently:\n%x\n%x", b, again)
		}
	}

	if _, err := (sessionCodec{}).Encode(deadline, map[string]any{"when": time.Now()}); err == nil {
		t.Error("a time.Time value was encoded; the codec does not hold that type")
	}

	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{"user_id": int64(5), "csrf": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if d, v, err := (sessionCodec{}).Decode(old); err != nil || !d.Equal(deadline) || v["user_id"] != int64(5) || v["csrf"] != "x" {
		t.Errorf("gob session read as %v %v %v", d, v, err)
	}

	for _, cut := range []int{1, 2, len(b) / 2, len(b) - 1} {
		if _, _, err := (sessionCodec{}).Decode(b[:cut]); !errors.Is(err, errSessionData) {
			t.Errorf("data cut to %d bytes: err %v, want errSessionData", cut, err)
		}
	}
	if _, _, err := (sessionCodec{}).Decode(append(bytes.Clone(b), 0)); !errors.Is(err, errSessionData) {
		t.Errorf("data with a trailing byte: err %v, want errSessionData", err)
	}
}

// FuzzSessionCodec: any bytes decode without panicking, and what decodes
// encodes and decodes again to the same.
func FuzzSessionCodec(f *testing.F) {
	b, _ := sessionCodec{}.Encode(time.Unix(1e9, 0), map[string]any{"user_id": int64(1), "csrf": "abc", "n": 3, "ok": true})
	f.Add(b)
	f.Add([]byte{sessionMagic})
	f.Add([]byte{sessionMagic, 0, 1, 1, 'k', 'z'})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != sessionMagic {
			return // gob's to judge
		}
		d, v, err := sessionCodec{}.Decode(data)
		if err != nil {
			return
		}
		again, err := sessionCodec{}.Encode(d, v)
		if err != nil {
			t.Fatalf("decoded %v but cannot encode it: %v", v, err)
		}
		d2, v2, err := sessionCodec{}.Decode(again)
		if err != nil || !d2.Equal(d) || !reflect.DeepEqual(v, v2) {
			t.Fatalf("%x decoded to %v %v, then %v %v (%v)", data, d, v, d2, v2, err)
		}
	})
}
