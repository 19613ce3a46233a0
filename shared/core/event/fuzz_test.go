package event_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

// FuzzParseGeneric checks that no body makes ParseGeneric panic, that every
// rejection is a coded error with a message, and that whatever it accepts is
// a complete event that survives a trip through ToGeneric and back.
func FuzzParseGeneric(f *testing.F) {
	for _, name := range []string{"generic_single.json", "generic_batch.json"} {
		b, err := readFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, tc := range goodSingles {
		f.Add([]byte(tc.body))
	}
	for _, tc := range badInputs {
		if len(tc.body) < 4096 { // the 501-event batch only slows the fuzzer down
			f.Add([]byte(tc.body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := event.ParseGeneric(body)
		if err != nil {
			if code := errcode.Code(err); code != errcode.Invalid && code != errcode.TooLarge {
				t.Fatalf("code = %q (err %v), want %q or %q", code, err, errcode.Invalid, errcode.TooLarge)
			}
			if errcode.Message(err) == "" {
				t.Fatalf("error %v has no message", err)
			}
			if got != nil {
				t.Fatalf("got %d events with the error %v, want none", len(got), err)
			}
			return
		}
		if len(got) == 0 || len(got) > event.MaxBatch {
			t.Fatalf("got %d events without an error, want 1 to %d", len(got), event.MaxBatch)
		}
		for i, e := range got {
			checkComplete(t, i, e)
			if diff := cmp.Diff(e, roundTrip(t, e), roundTripOpts); diff != "" {
				t.Fatalf("events[%d] round trip (-parsed +again):\n%s", i, diff)
			}
		}
	})
}

// checkComplete asserts what every accepted event has, whatever the input.
func checkComplete(t *testing.T, i int, e event.Event) {
	t.Helper()
	switch {
	case e.Source != event.SourceGeneric:
		t.Fatalf("events[%d].Source = %q", i, e.Source)
	case e.ID == "" || e.TicketID == "":
		t.Fatalf("events[%d] has id %q, ticket id %q: both must be set", i, e.ID, e.TicketID)
	case len(e.ID) > event.MaxIDLength || len(e.TicketID) > event.MaxIDLength:
		t.Fatalf("events[%d] has an id longer than %d bytes", i, event.MaxIDLength)
	case !slices.Contains(event.Types, e.Type):
		t.Fatalf("events[%d].Type = %q is not a known type", i, e.Type)
	case e.OccurredAt.Location() != time.UTC:
		t.Fatalf("events[%d].OccurredAt = %v is not in UTC", i, e.OccurredAt)
	case e.OccurredAt.Year() < 2000 || e.OccurredAt.Year() > 2099:
		t.Fatalf("events[%d].OccurredAt = %v is outside 2000–2099", i, e.OccurredAt)
	case e.Type == event.SurveyAnswered && (e.Rating < 1 || e.Rating > 5):
		t.Fatalf("events[%d].Rating = %d", i, e.Rating)
	case e.Type == event.StatusChanged && !slices.Contains(event.Statuses, e.Status):
		t.Fatalf("events[%d].Status = %q", i, e.Status)
	case e.Type == event.PriorityChanged && !slices.Contains(event.Priorities, e.Priority):
		t.Fatalf("events[%d].Priority = %q", i, e.Priority)
	case !slices.IsSorted(e.Tags) || len(slices.Compact(slices.Clone(e.Tags))) != len(e.Tags):
		t.Fatalf("events[%d].Tags = %q are not sorted and unique", i, e.Tags)
	}
}

// FuzzReadJSONL checks that no file makes ReadJSONL panic and that line
// numbers, given to fn or named in an error, are lines of the file.
func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(line("a") + "\n" + line("b") + "\n"))
	f.Add([]byte("# comment\n\n" + line("a") + "\r\n" + `{"event_id": "b"}` + "\n"))
	f.Add([]byte(batch(line("a"), line("b")) + "\n"))
	f.Add([]byte("\n\n\n"))
	f.Add([]byte{})
	for _, name := range []string{"generic_single.json", "generic_batch.json"} {
		b, err := readFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)                                                    // pretty-printed: many bad lines
		f.Add(bytes.Join(bytes.Fields(b), []byte(" ")))             // the same on one line
		f.Add(append(bytes.Join(bytes.Fields(b), nil), "\n#\n"...)) // and without spaces
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		lines := bytes.Count(text, []byte("\n"))
		if len(text) > 0 && text[len(text)-1] != '\n' {
			lines++
		}
		last := 0
		err := event.ReadJSONL(bytes.NewReader(text), func(n int, e event.Event) error {
			if n <= last || n > lines {
				t.Fatalf("fn got line %d after line %d; the file has %d lines", n, last, lines)
			}
			last = n
			checkComplete(t, 0, e)
			return nil
		})
		if err == nil {
			return
		}
		if code := errcode.Code(err); code != errcode.Invalid && code != errcode.TooLarge {
			t.Fatalf("code = %q (err %v), want %q or %q", code, err, errcode.Invalid, errcode.TooLarge)
		}
		var n int
		if _, scanErr := fmt.Sscanf(errcode.Message(err), "line %d:", &n); scanErr != nil {
			t.Fatalf("message %q does not start with a line number", errcode.Message(err))
		}
		if n < 1 || n > lines || n <= last {
			t.Fatalf("error names line %d; the file has %d lines and fn last saw line %d", n, lines, last)
		}
		if !strings.Contains(errcode.Message(err), ": ") {
			t.Fatalf("message %q says nothing after the line number", errcode.Message(err))
		}
	})
}

func readFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}
