package desk

import (
	"fmt"
	"strings"
)

// mailFiles turns an e-mail's attachments and inline parts into files to
// store with its ticket event. Files over the size limit (and beyond
// MaxAttachmentsPerComment) are left out: skipped holds their indexes, and
// the ticket's text says so, so that nothing disappears silently.
func (s *Desk) mailFiles(in []MailAttachment) (files []*Attachment, skipped map[int]bool) {
	skipped = map[int]bool{}
	for i, a := range in {
		if int64(len(a.Content)) > s.attachmentMax() || len(files) == MaxAttachmentsPerComment {
			skipped[i] = true
			continue
		}
		files = append(files, newAttachment(FileInput{Name: a.Name, ContentType: a.ContentType,
			Content: a.Content, Inline: a.Inline, ContentID: a.ContentID}))
	}
	return files, skipped
}

// attachmentNote lists an e-mail's files for the ticket's text.
func attachmentNote(in []MailAttachment, skipped map[int]bool) string {
	names := make([]string, len(in))
	for i, a := range in {
		name := a.Name
		if name == "" {
			name = "(unnamed " + a.ContentType + ")"
		}
		names[i] = fmt.Sprintf("%s (%s)", name, sizeText(a.Size))
		if skipped[i] {
			names[i] += " [not stored: over the size limit]"
		}
	}
	return "Attachments: " + strings.Join(names, ", ")
}
