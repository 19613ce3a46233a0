package event

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"scorecard/shared/core/errcode"
)

// MaxLine bounds one line of an events file.
const MaxLine = 1 << 20

// ReadJSONL reads a file of generic-format events, one JSON object per line
// (blank lines and lines starting with # are skipped), calling fn for each.
// A bad line stops the read with an *errcode.Error naming the line number and
// the field, e.g. `line 17: occurred_at: "x" is not an RFC 3339 time`.
func ReadJSONL(r io.Reader, fn func(line int, e Event) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxLine+1)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 || b[0] == '#' {
			continue
		}
		e, err := ParseGenericEvent(b)
		if err != nil {
			return errcode.Errorf(errcode.Code(err), "line %d: %s", line, errcode.Message(err))
		}
		if err := fn(line, e); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return errcode.Errorf(errcode.Invalid, "line %d: longer than %d bytes", line+1, MaxLine)
		}
		return fmt.Errorf("read events: %w", err)
	}
	return nil
}
