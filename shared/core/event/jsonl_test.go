package event_test

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
)

// line is a valid generic event on one line.
func line(id string) string {
	return `{"event_id": "` + id + `", "ticket_id": "T-1", "type": "created", "occurred_at": "2026-10-05T01:00:00Z"}`
}

type seen struct {
	Line int
	ID   string
}

// readAll runs ReadJSONL over text and returns the line and id of every
// event fn saw.
func readAll(text string) ([]seen, error) {
	var got []seen
	err := event.ReadJSONL(strings.NewReader(text), func(n int, e event.Event) error {
		got = append(got, seen{n, e.ID})
		return nil
	})
	return got, err
}

func TestReadJSONL(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []seen
	}{
		{
			name: "each line is one event, numbered from 1",
			text: line("a") + "\n" + line("b") + "\n",
			want: []seen{{1, "a"}, {2, "b"}},
		},
		{
			name: "blank lines and # comments are skipped but counted",
			text: "# exported 2026-11-01\n\n" + line("a") + "\n   \n\t# indented comment\n" + line("b"),
			want: []seen{{3, "a"}, {6, "b"}},
		},
		{
			name: "CRLF line ends are accepted",
			text: line("a") + "\r\n" + line("b") + "\r\n",
			want: []seen{{1, "a"}, {2, "b"}},
		},
		{
			name: "a last line without a newline is read",
			text: line("a"),
			want: []seen{{1, "a"}},
		},
		{
			name: "an empty file has no events",
			text: "",
			want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(tc.text)
			if err != nil {
				t.Fatalf("ReadJSONL: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events seen (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadJSONLRejects(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		code     string
		prefix   string // the message starts with this
		contains string // and contains this
		seen     []seen // events passed to fn before the bad line
	}{
		{
			name:     "a bad line names its line number and field",
			text:     line("a") + "\n# note\n" + `{"event_id": "b", "ticket_id": "T-1", "type": "created", "occurred_at": "x"}` + "\n" + line("c"),
			code:     errcode.Invalid,
			prefix:   "line 3: occurred_at: ",
			contains: `"x"`,
			seen:     []seen{{1, "a"}},
		},
		{
			name:   "malformed JSON names its line number",
			text:   "\n\n\n\n" + `{"event_id": "a",`,
			code:   errcode.Invalid,
			prefix: "line 5: malformed JSON",
		},
		{
			name:   "a batch object on a line is rejected",
			text:   line("a") + "\n" + batch(line("b"), line("c")),
			code:   errcode.Invalid,
			prefix: "line 2: ",
			seen:   []seen{{1, "a"}},
		},
		{
			name:   "a batch of one on a line is still a batch",
			text:   `{"events":[{"event_id":"e1","ticket_id":"T","type":"created","occurred_at":"2026-10-05T01:00:00Z"}]}`,
			code:   errcode.Invalid,
			prefix: "line 1: one event object expected, not a batch",
		},
		{
			name:   "an oversize batch on a line is a batch too",
			text:   numbered(event.MaxBatch + 1),
			code:   errcode.Invalid,
			prefix: "line 1: one event object expected",
		},
		{
			name:     "a line over MaxLine is rejected with its number",
			text:     line("a") + "\n" + `{"comment": "` + strings.Repeat("x", event.MaxLine) + `"}` + "\n" + line("c"),
			code:     errcode.Invalid,
			prefix:   "line 2: ",
			contains: "longer than",
			seen:     []seen{{1, "a"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(tc.text)
			if code := errcode.Code(err); code != tc.code {
				t.Fatalf("code = %q (err %v), want %q", code, err, tc.code)
			}
			msg := errcode.Message(err)
			if !strings.HasPrefix(msg, tc.prefix) || !strings.Contains(msg, tc.contains) {
				t.Errorf("message = %q, want prefix %q containing %q", msg, tc.prefix, tc.contains)
			}
			if diff := cmp.Diff(tc.seen, got); diff != "" {
				t.Errorf("events seen before the error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadJSONLPassesFnErrorThrough(t *testing.T) {
	stop := errors.New("stop here")
	calls := 0
	err := event.ReadJSONL(strings.NewReader(line("a")+"\n"+line("b")+"\n"+line("c")), func(n int, e event.Event) error {
		calls++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("err = %v, want fn's error unchanged", err)
	}
	if calls != 2 {
		t.Errorf("fn called %d times, want 2 (reading stops at fn's error)", calls)
	}
}

func TestReadJSONLWrapsReadErrors(t *testing.T) {
	broken := errors.New("disk gone")
	err := event.ReadJSONL(iotest.ErrReader(broken), func(int, event.Event) error { return nil })
	if !errors.Is(err, broken) {
		t.Fatalf("err = %v, want it to wrap the reader's error", err)
	}
	if code := errcode.Code(err); code != errcode.Internal {
		t.Errorf("code = %q, want %q: a read failure is not the file's fault", code, errcode.Internal)
	}
}
