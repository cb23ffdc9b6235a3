package triage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// The binary form of a model: a magic string and format version, the
// configuration as JSON, the used buckets (delta-encoded varints) with
// their IDF, then each field's labels, temperature, biases and weights as
// little-endian float32, and with a network (Hidden > 0 in the
// configuration) its first layer's weights and biases, then its second's. Unused buckets take no space.
const (
	magic         = "TDTRIAGE"
	formatVersion = 1
	maxLabels     = 10000
)

// MarshalBinary encodes the model; UnmarshalBinary of the result answers
// every text exactly as m does.
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	b.Write(binary.AppendUvarint(nil, formatVersion))
	cfg, err := json.Marshal(m.cfg)
	if err != nil {
		return nil, err
	}
	writeBytes(&b, cfg)
	b.Write(binary.AppendUvarint(nil, uint64(len(m.idf))))
	prev := 0
	for x, r := range m.slot {
		if r >= 0 {
			b.Write(binary.AppendUvarint(nil, uint64(x-prev)))
			prev = x
		}
	}
	writeFloats(&b, m.idf)
	b.Write(binary.AppendUvarint(nil, uint64(len(m.heads))))
	for _, h := range m.heads {
		writeBytes(&b, []byte(h.field))
		b.Write(binary.AppendUvarint(nil, uint64(len(h.labels))))
		for _, l := range h.labels {
			writeBytes(&b, []byte(l))
		}
		writeFloats(&b, []float32{h.temp})
		writeFloats(&b, h.b)
		writeFloats(&b, h.w)
		if n := h.net; n != nil {
			for _, p := range [][]float32{n.w1, n.b1, n.w2, n.b2} {
				writeFloats(&b, p)
			}
		}
	}
	return b.Bytes(), nil
}

func writeBytes(b *bytes.Buffer, p []byte) {
	b.Write(binary.AppendUvarint(nil, uint64(len(p))))
	b.Write(p)
}

func writeFloats(b *bytes.Buffer, fs []float32) {
	buf := make([]byte, 4*len(fs))
	for i, f := range fs {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(f))
	}
	b.Write(buf)
}

// ErrCorrupt is returned for bytes that are not a model this version reads.
var ErrCorrupt = errors.New("not a triage model, or a damaged one")

// Decode reads a model written by MarshalBinary.
func Decode(data []byte) (*Model, error) {
	m := &Model{}
	if err := m.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return m, nil
}

// UnmarshalBinary reads a model written by MarshalBinary.
func (m *Model) UnmarshalBinary(data []byte) error {
	r := &reader{data: data}
	if string(r.take(len(magic))) != magic {
		return ErrCorrupt
	}
	if v := r.uvarint(); v != formatVersion {
		return fmt.Errorf("%w: format version %d, this program reads %d", ErrCorrupt, v, formatVersion)
	}
	var cfg Config
	if err := json.Unmarshal(r.bytes(), &cfg); err != nil || cfg.Validate() != nil {
		return ErrCorrupt
	}
	nrows := r.count(1 << cfg.Bits)
	slot := make([]int32, 1<<cfg.Bits)
	for i := range slot {
		slot[i] = -1
	}
	x := 0
	for i := range nrows {
		x += int(r.uvarint())
		if x >= len(slot) || (i > 0 && slot[x] >= 0) || r.err != nil {
			return ErrCorrupt
		}
		slot[x] = int32(i)
	}
	idf := r.floats(nrows)
	nheads := r.count(64)
	heads := make([]head, 0, nheads)
	for range nheads {
		h := head{field: string(r.bytes())}
		nl := r.count(maxLabels)
		for range nl {
			h.labels = append(h.labels, string(r.bytes()))
		}
		if t := r.floats(1); len(t) == 1 {
			h.temp = t[0]
		}
		h.b = r.floats(nl)
		h.w = r.floats(nrows * nl)
		if H := cfg.Hidden; H > 0 {
			h.net = &mlpHead{H: H, w1: r.floats(nrows * H), b1: r.floats(H), w2: r.floats(nl * H), b2: r.floats(nl)}
			h.blend = cfg.NetBlend
		}
		heads = append(heads, h)
	}
	if r.err != nil || len(r.data) != 0 {
		return ErrCorrupt
	}
	m.cfg, m.slot, m.idf, m.heads = cfg, slot, idf, heads
	return nil
}

// reader reads the binary form, remembering the first fault.
type reader struct {
	data []byte
	err  error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.data) {
		r.err = ErrCorrupt
		return nil
	}
	p := r.data[:n]
	r.data = r.data[n:]
	return p
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.err = ErrCorrupt
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *reader) count(limit int) int {
	v := r.uvarint()
	if v > uint64(limit) {
		r.err = ErrCorrupt
		return 0
	}
	return int(v)
}

func (r *reader) bytes() []byte { return r.take(r.count(len(r.data))) }

func (r *reader) floats(n int) []float32 {
	p := r.take(4 * n)
	if p == nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[4*i:]))
	}
	return out
}
