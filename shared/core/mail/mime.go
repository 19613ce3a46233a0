package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"unicode"

	"scorecard/shared/core/errcode"
)

// Build writes a mail as a raw MIME message (RFC 5322 / 2045–2047 / 2387):
//
//	multipart/mixed                      (only with attachments)
//	├── multipart/related                (only with inline parts)
//	│   ├── multipart/alternative
//	│   │   ├── text/plain; charset=utf-8
//	│   │   └── text/html; charset=utf-8
//	│   └── inline images, each with its Content-ID
//	└── attachments
//
// A container with a single child is left out. Every body is base64 with
// lines of 76 characters; the subject is an RFC 2047 B-encoded word when it
// is not plain ASCII, and file names are RFC 2231 encoded when they need it.
// Boundaries are derived from boundarySeed so that a test gets the same
// bytes every time; the senders use a random seed. Build adds no Date or
// Message-ID header: SES sets both, and the SMTP sender writes them itself.
//
// Bad addresses, a missing subject or a bad Content-ID are errcode.Invalid
// errors whose messages name no address.
func Build(from string, to []string, m Mail, boundarySeed string) ([]byte, error) {
	sender, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, errcode.Errorf(errcode.Invalid, "sender: not a valid e-mail address")
	}
	rcpts, err := recipients(to)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.Subject) == "" {
		return nil, errcode.Errorf(errcode.Invalid, "mail: no subject")
	}
	if m.HTML == "" && m.Text == "" {
		return nil, errcode.Errorf(errcode.Invalid, "mail: no body")
	}
	for i, p := range m.Inline {
		if p.ContentID == "" || strings.ContainsAny(p.ContentID, "<>\"\\ \t\r\n") || !isASCII(p.ContentID) {
			return nil, errcode.Errorf(errcode.Invalid, "mail: inline part %d: content id %q is not a valid Content-ID", i, p.ContentID)
		}
	}
	seed := sanitizeSeed(boundarySeed)

	var buf bytes.Buffer
	header(&buf, "From", sender.String())
	addrs := make([]string, len(rcpts))
	for i, a := range rcpts {
		addrs[i] = a.String()
	}
	header(&buf, "To", strings.Join(addrs, ", "))
	header(&buf, "Subject", mime.BEncoding.Encode("utf-8", m.Subject))
	header(&buf, "MIME-Version", "1.0")

	// The tree from the inside out.
	body := func(contentType, text string) node {
		return node{contentType, func(w io.Writer) error { return writeBase64(w, []byte(text)) }}
	}
	var top node
	switch {
	case m.HTML == "":
		top = body("text/plain; charset=utf-8", m.Text)
	case m.Text == "":
		top = body("text/html; charset=utf-8", m.HTML)
	default:
		top = multipartNode("alternative", seed, []partSpec{
			{header: textHeader("text/plain; charset=utf-8"), data: []byte(m.Text)},
			{header: textHeader("text/html; charset=utf-8"), data: []byte(m.HTML)},
		}, nil)
	}
	if len(m.Inline) > 0 {
		inner := top
		parts := []partSpec{{nested: &inner}}
		for _, p := range m.Inline {
			parts = append(parts, partSpec{header: fileHeader("inline", p), data: p.Data})
		}
		top = multipartNode("related", seed, parts, map[string]string{"type": "multipart/alternative"})
	}
	if len(m.Attachments) > 0 {
		inner := top
		parts := []partSpec{{nested: &inner}}
		for _, p := range m.Attachments {
			parts = append(parts, partSpec{header: fileHeader("attachment", p), data: p.Data})
		}
		top = multipartNode("mixed", seed, parts, nil)
	}
	header(&buf, "Content-Type", top.contentType)
	if !strings.HasPrefix(top.contentType, "multipart/") {
		header(&buf, "Content-Transfer-Encoding", "base64")
	}
	buf.WriteString("\r\n")
	if err := top.write(&buf); err != nil {
		return nil, errcode.Wrap(errcode.Internal, err, "build the mail")
	}
	return buf.Bytes(), nil
}

// node is one MIME entity: its Content-Type and how to write its body.
type node struct {
	contentType string
	write       func(w io.Writer) error
}

// partSpec is a child of a multipart: a leaf (header and data, written
// base64) or a nested multipart.
type partSpec struct {
	header textproto.MIMEHeader
	data   []byte
	nested *node
}

func multipartNode(subtype, seed string, parts []partSpec, params map[string]string) node {
	boundary := "=_" + subtype + "_" + seed
	p := map[string]string{"boundary": boundary}
	for k, v := range params {
		p[k] = v
	}
	// The related part's type parameter names its root, the first child.
	if subtype == "related" && parts[0].nested != nil {
		p["type"] = strings.SplitN(parts[0].nested.contentType, ";", 2)[0]
	}
	return node{
		contentType: mime.FormatMediaType("multipart/"+subtype, p),
		write: func(w io.Writer) error {
			// Written by hand rather than with mime/multipart so that part
			// headers are folded like the message's.
			var buf bytes.Buffer
			for i, part := range parts {
				if i == 0 {
					buf.WriteString("--" + boundary + "\r\n")
				} else {
					buf.WriteString("\r\n--" + boundary + "\r\n")
				}
				h := part.header
				if part.nested != nil {
					h = textproto.MIMEHeader{"Content-Type": {part.nested.contentType}}
				}
				for _, k := range headerOrder(h) {
					name := k
					if k == "Content-Id" {
						name = "Content-ID"
					}
					for _, v := range h[k] {
						header(&buf, name, v)
					}
				}
				buf.WriteString("\r\n")
				var err error
				if part.nested != nil {
					err = part.nested.write(&buf)
				} else {
					err = writeBase64(&buf, part.data)
				}
				if err != nil {
					return err
				}
			}
			buf.WriteString("\r\n--" + boundary + "--\r\n")
			_, err := w.Write(buf.Bytes())
			return err
		},
	}
}

// headerOrder lists a part's header fields in a fixed, readable order.
func headerOrder(h textproto.MIMEHeader) []string {
	order := []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-Id"}
	var out []string
	for _, k := range order {
		if _, ok := h[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

func textHeader(contentType string) textproto.MIMEHeader {
	return textproto.MIMEHeader{
		"Content-Type":              {contentType},
		"Content-Transfer-Encoding": {"base64"},
	}
}

// fileHeader is the header of an inline image or an attachment.
func fileHeader(disposition string, p Part) textproto.MIMEHeader {
	name := cleanFilename(p.Filename)
	ct := p.ContentType
	if _, _, err := mime.ParseMediaType(ct); err != nil || ct == "" {
		ct = "application/octet-stream"
	}
	mt, params, _ := mime.ParseMediaType(ct)
	if name != "" {
		params["name"] = name
	}
	h := textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(mt, params)},
		"Content-Transfer-Encoding": {"base64"},
	}
	if name != "" {
		h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	} else {
		h.Set("Content-Disposition", disposition)
	}
	if p.ContentID != "" {
		h.Set("Content-ID", "<"+p.ContentID+">")
	}
	return h
}

// cleanFilename drops path parts and control characters from a file name.
func cleanFilename(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s))
}

func recipients(to []string) ([]*netmail.Address, error) {
	if len(to) == 0 {
		return nil, errcode.Errorf(errcode.Invalid, "mail: no recipients")
	}
	out := make([]*netmail.Address, len(to))
	for i, s := range to {
		a, err := netmail.ParseAddress(s)
		if err != nil {
			return nil, errcode.Errorf(errcode.Invalid, "recipient %d: not a valid e-mail address", i+1)
		}
		out[i] = a
	}
	return out, nil
}

// header writes one header field, folded at spaces so that lines stay
// within 78 characters where possible (RFC 5322 §2.2.3).
func header(buf *bytes.Buffer, name, value string) {
	line := name + ":"
	width := len(line)
	for i, word := range strings.Split(value, " ") {
		if width+1+len(word) > 76 && (i > 0 || width > 0) {
			buf.WriteString(line + "\r\n")
			line, width = "", 0
		}
		line += " " + word
		width += 1 + len(word)
	}
	buf.WriteString(line + "\r\n")
}

// writeBase64 writes data base64-encoded in lines of 76 characters.
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	b.Grow(len(enc) + len(enc)/76*2 + 2)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// sanitizeSeed keeps letters and digits (boundary characters that can never
// occur in base64 after "=_"), at most 40 of them.
func sanitizeSeed(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
		if b.Len() == 40 {
			break
		}
	}
	if b.Len() == 0 {
		return "scorecard"
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
