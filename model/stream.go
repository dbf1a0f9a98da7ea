package model

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"

	"github.com/google/pprof/profile"
)

// OpenStacks opens source (a file or a URL, as Open does) for a table of
// one sample type, named by a -sample_index value. A pprof protobuf is read
// as a stream: its samples are folded into distinct stacks one at a time
// and never kept, and everything else (sample types, mappings, locations,
// functions, strings) is parsed by the profile package. So a large profile
// takes a fraction of the memory and time of Open followed by
// CollectStacks, with the same result.
//
// Only the Info of a streamed profile is kept, which serves for the
// header of a report, not for filters, comparisons or further stacks. Any
// other format, and any input the stream cannot read, is parsed in full
// (Whole), so errors are the same as Load's.
func OpenStacks(path, sampleSpec string, g Granularity) (*Streamed, error) {
	st, err := openStream(path, sampleSpec, g)
	if !errors.Is(err, errNotStreamed) {
		return st, err
	}
	p, err := Load(path)
	if err != nil {
		return nil, err
	}
	return whole(p, sampleSpec, g)
}

// Streamed is what OpenStacks read: the stacks of one sample type and what
// the profile says of itself.
type Streamed struct {
	Info   *Info
	Stacks *Stacks
	// Whole is the profile when it was read in full (not a stream: folded
	// stacks, a legacy format), so need not be read again; else nil.
	Whole *Profile
}

// whole is p, read in full, as OpenStacks returns it.
func whole(p *Profile, sampleSpec string, g Granularity) (*Streamed, error) {
	s, err := stacksOf(p, sampleSpec, g)
	if err != nil {
		return nil, err
	}
	return &Streamed{Info: &p.Info, Stacks: s, Whole: p}, nil
}

// stacksOf is p's stacks for the sample type a -sample_index value names,
// at granularity g.
func stacksOf(p *Profile, sampleSpec string, g Granularity) (*Stacks, error) {
	idx, err := p.SampleIndex(sampleSpec)
	if err != nil {
		return nil, err
	}
	return CollectStacks(p, idx, g)
}

// errNotStreamed sends a source that the stream does not read (another
// format, or anything unexpected in the data) to the full parser.
var errNotStreamed = errors.New("not a streamable pprof protobuf")

// StacksFromBytes reads data (a fetched profile, for one) as OpenStacks
// reads a file: streamed when it is a pprof protobuf, else parsed in full;
// gzip is undone up to maxDecompressed bytes. name names it in errors.
func StacksFromBytes(name string, data []byte, maxDecompressed int64, sampleSpec string, g Granularity) (*Streamed, error) {
	st, err := readStream(name, bytes.NewReader(data), maxDecompressed, sampleSpec, g, decodedSize(bytes.NewReader(data), int64(len(data))))
	if !errors.Is(err, errNotStreamed) {
		return st, err
	}
	p, err := ParseLimited(name, data, maxDecompressed)
	if err != nil {
		return nil, err
	}
	return whole(p, sampleSpec, g)
}

func openStream(source, sampleSpec string, g Granularity) (*Streamed, error) {
	f, err := os.Open(source)
	if err != nil {
		return nil, errNotStreamed // Load says what is wrong
	}
	defer f.Close()
	r, size, err := sizedReader(f)
	if err != nil {
		return nil, errNotStreamed
	}
	return readStream(source, r, DefaultMaxDecompressed, sampleSpec, g, decodedSize(f, size))
}

// decodedSize is how many bytes a profile of size bytes in r decodes to,
// as far as can be told without decoding it: a gzip file says it in its
// last four bytes (modulo 4 GiB; for one member), anything else is itself.
// 0 when unknown.
func decodedSize(r io.ReaderAt, size int64) int64 {
	if size < 18 {
		return size
	}
	var head [2]byte
	var tail [4]byte
	if _, err := r.ReadAt(head[:], 0); err != nil || !isGzip(head[:]) {
		return size
	}
	if _, err := r.ReadAt(tail[:], size-4); err != nil {
		return 0
	}
	isize := int64(binary.LittleEndian.Uint32(tail[:]))
	if isize < size { // more than 4 GiB, or several members: not said
		return 0
	}
	return isize
}

// readStream reads a profile from r: gzipped or not, it must be a pprof
// protobuf (anything else is errNotStreamed).
func readStream(name string, r io.Reader, maxDecompressed int64, sampleSpec string, g Granularity, decoded int64) (*Streamed, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); isGzip(head) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, errNotStreamed
		}
		// Inflate in a goroutine of its own: on two cores, inflating
		// and decoding overlap. Closing pr stops it on an early return.
		pr, pw := io.Pipe()
		defer pr.Close()
		go func() {
			defer zr.Close()
			_, err := io.CopyBuffer(pw, zr, make([]byte, 256<<10))
			pw.CloseWithError(err)
		}()
		br = bufio.NewReaderSize(pr, 256<<10)
	}
	// Folded stacks, HTML and legacy text profiles are told apart from
	// the start of the data, as Parse does; a protobuf starts with a
	// field key, never with printable text.
	head, _ := br.Peek(64 << 10)
	if len(bytes.TrimSpace(head)) == 0 || looksFolded(head) || looksHTML(head) || !looksProtobuf(head) {
		return nil, errNotStreamed
	}
	d := &stackDecoder{r: br, limit: maxDecompressed, first: map[uint64]int32{}, start: []int32{0}}
	// The stacks' location IDs take at least a byte each in the encoding:
	// room for an eighth of the bytes is made at once, so that the array
	// is not copied as it grows (copies of hundreds of megabytes stall the
	// collector and fault in fresh pages each time). Room not used is
	// never touched, so it costs no memory.
	if n := min(decoded, maxDecompressed) / 8; n > 1<<16 {
		d.ids = make([]uint32, 0, n)
	}
	skeleton, err := d.decode()
	if err != nil || d.diffBase(skeleton) {
		return nil, errNotStreamed // a -diff_base merge is read whole, as the comparison it is
	}
	raw, err := profile.ParseUncompressed(skeleton)
	if err != nil || raw.CheckValid() != nil || len(raw.SampleType) == 0 || (d.columns != 0 && d.columns != len(raw.SampleType)) {
		return nil, errNotStreamed
	}
	demangleNames(raw)
	p := &Info{Source: name, Format: FormatPprof, header: raw}
	idx, err := p.SampleIndex(sampleSpec)
	if err != nil {
		return nil, err
	}
	s, err := d.stacks(raw, idx, g)
	if err != nil {
		return nil, err
	}
	return &Streamed{Info: p, Stacks: s}, nil
}

// looksProtobuf reports whether data starts with a profile.proto field key
// (fields 1 to 15, varint or length-delimited).
func looksProtobuf(data []byte) bool {
	key, n := binary.Uvarint(data)
	if n <= 0 {
		return false
	}
	field, wire := key>>3, key&7
	return field >= 1 && field <= 15 && (wire == 0 || wire == 2)
}

// stackDecoder reads a profile.proto message field by field. Samples
// (field 2) are folded into distinct stacks as they come; every other
// field is copied, as it was, into the skeleton message.
type stackDecoder struct {
	r     *bufio.Reader
	read  int64 // bytes read so far
	limit int64 // the most bytes read before giving up

	columns int // values per sample; 0 until the first sample

	// The distinct stacks, as location IDs from the leaf out; stack i is
	// ids[start[i]:start[i+1]]. first maps a hash to the first stack
	// with it and next chains the others.
	ids   []uint32
	start []int32
	first map[uint64]int32
	next  []int32
	// values[i*columns+j] is stack i's sum for column j; seen[i] has
	// bit j set if any of its samples had a non-zero value in column j.
	values   []int64
	seen     []uint64
	absTotal []int64 // per column, the sum of |value| over the samples

	sampleIDs []uint32 // the sample being read
	sampleVal []int64

	// used has bit id set for every location ID a sample names, zero
	// samples included, so that an ID missing from the location table
	// is an error as it is for pprof.
	used []uint64

	labelKeys []uint64 // the distinct label keys (string indexes) samples carry
}

func (d *stackDecoder) decode() ([]byte, error) {
	var skeleton, payload []byte
	for {
		key, err := d.uvarint()
		if err == io.EOF {
			return skeleton, nil
		}
		if err != nil {
			return nil, err
		}
		switch key & 7 {
		case 0:
			v, err := d.uvarint()
			if err != nil {
				return nil, err
			}
			skeleton = binary.AppendUvarint(binary.AppendUvarint(skeleton, key), v)
		case 1, 5:
			n := 8
			if key&7 == 5 {
				n = 4
			}
			skeleton = binary.AppendUvarint(skeleton, key)
			if skeleton, err = d.appendN(skeleton, uint64(n)); err != nil {
				return nil, err
			}
		case 2:
			n, err := d.uvarint()
			if err != nil {
				return nil, err
			}
			if key>>3 != 2 {
				skeleton = binary.AppendUvarint(binary.AppendUvarint(skeleton, key), n)
				if skeleton, err = d.appendN(skeleton, n); err != nil {
					return nil, err
				}
				continue
			}
			if payload, err = d.appendN(payload[:0], n); err != nil {
				return nil, err
			}
			if err := d.sample(payload); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("wire type %d", key&7)
		}
	}
}

// uvarint reads a varint: io.EOF if the data ends before it, which is
// the message's end between fields and a truncation anywhere else.
func (d *stackDecoder) uvarint() (uint64, error) { return binary.ReadUvarint(d) }

// ReadByte counts what binary.ReadUvarint reads.
func (d *stackDecoder) ReadByte() (byte, error) {
	c, err := d.r.ReadByte()
	if err == nil {
		d.read++
		if d.read > d.limit {
			return 0, errTooLarge
		}
	}
	return c, err
}

// appendN appends the next n bytes to dst, growing it only as the data
// arrives, so that a length that lies cannot allocate more than there is.
func (d *stackDecoder) appendN(dst []byte, n uint64) ([]byte, error) {
	if n > uint64(d.limit-d.read) {
		return nil, errTooLarge
	}
	for n > 0 {
		chunk := int(min(n, 1<<20))
		dst = slices.Grow(dst, chunk)
		got, err := io.ReadFull(d.r, dst[len(dst):len(dst)+chunk])
		dst = dst[:len(dst)+got]
		d.read += int64(got)
		if err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		n -= uint64(chunk)
	}
	return dst, nil
}

// sample decodes one Sample message (location_id = 1, value = 2, each
// packed or not; labels are not needed for a table) and adds it to its
// stack.
func (d *stackDecoder) sample(msg []byte) error {
	d.sampleIDs, d.sampleVal = d.sampleIDs[:0], d.sampleVal[:0]
	for len(msg) > 0 {
		key, n := binary.Uvarint(msg)
		if n <= 0 {
			return errNotStreamed
		}
		msg = msg[n:]
		field, wire := key>>3, key&7
		var body []byte // the varints of the field, one or packed
		switch wire {
		case 0:
			_, n := binary.Uvarint(msg)
			if n <= 0 {
				return errNotStreamed
			}
			body, msg = msg[:n], msg[n:]
		case 1, 5:
			n := 8
			if wire == 5 {
				n = 4
			}
			if len(msg) < n || field == 1 || field == 2 {
				return errNotStreamed
			}
			msg = msg[n:]
			continue
		case 2:
			l, n := binary.Uvarint(msg)
			if n <= 0 || l > uint64(len(msg)-n) {
				return errNotStreamed
			}
			body, msg = msg[n:n+int(l)], msg[n+int(l):]
		default:
			return errNotStreamed
		}
		if field == 3 && wire == 2 {
			d.label(body)
		}
		if field != 1 && field != 2 {
			continue
		}
		for len(body) > 0 {
			v, n := binary.Uvarint(body)
			if n <= 0 {
				return errNotStreamed
			}
			body = body[n:]
			if field == 1 {
				if v == 0 || v >= 1<<26 {
					return errNotStreamed // IDs far past the number of locations
				}
				for int(v>>6) >= len(d.used) {
					d.used = append(d.used, 0)
				}
				d.used[v>>6] |= 1 << (v & 63)
				d.sampleIDs = append(d.sampleIDs, uint32(v))
			} else {
				d.sampleVal = append(d.sampleVal, int64(v))
			}
		}
	}
	return d.add(d.sampleIDs, d.sampleVal)
}

// label notes the key of a sample's label (a Label message: key = 1, a
// string table index), so that a -diff_base merge's can be told apart.
func (d *stackDecoder) label(msg []byte) {
	for len(msg) > 0 {
		key, n := binary.Uvarint(msg)
		if n <= 0 || key&7 != 0 {
			return // the key comes first as pprof writes it; else not needed
		}
		v, m := binary.Uvarint(msg[n:])
		if m <= 0 {
			return
		}
		if key>>3 == 1 {
			if !slices.Contains(d.labelKeys, v) && len(d.labelKeys) < 1024 {
				d.labelKeys = append(d.labelKeys, v)
			}
			return
		}
		msg = msg[n+m:]
	}
}

// diffBase reports whether a sample had pprof's -diff_base label, given
// the skeleton's string table: such a profile is a comparison, which the
// stream does not read.
func (d *stackDecoder) diffBase(skeleton []byte) bool {
	if len(d.labelKeys) == 0 {
		return false
	}
	var strs [][]byte
	for len(skeleton) > 0 {
		key, n := binary.Uvarint(skeleton)
		if n <= 0 {
			return false
		}
		skeleton = skeleton[n:]
		switch key & 7 {
		case 0:
			_, n = binary.Uvarint(skeleton)
		case 1:
			n = 8
		case 5:
			n = 4
		case 2:
			l, m := binary.Uvarint(skeleton)
			if m <= 0 || l > uint64(len(skeleton)-m) {
				return false
			}
			if key>>3 == 6 {
				strs = append(strs, skeleton[m:m+int(l)])
			}
			n = m + int(l)
		}
		if n <= 0 || n > len(skeleton) {
			return false
		}
		skeleton = skeleton[n:]
	}
	for _, k := range d.labelKeys {
		if k < uint64(len(strs)) && string(strs[k]) == "pprof::base" {
			return true
		}
	}
	return false
}

// add folds a sample into its distinct stack. A sample whose values are
// all 0 adds nothing, as pprof skips it.
func (d *stackDecoder) add(ids []uint32, vals []int64) error {
	if d.columns == 0 {
		if len(vals) == 0 || len(vals) > 64 {
			return errNotStreamed
		}
		d.columns = len(vals)
		d.absTotal = make([]int64, len(vals))
	}
	if len(vals) != d.columns {
		return errNotStreamed // the full parser says what is wrong
	}
	var mask uint64
	for j, v := range vals {
		if v != 0 {
			mask |= 1 << j
			d.absTotal[j] += abs(v)
		}
	}
	if mask == 0 {
		return nil
	}
	h := uint64(len(ids)) * 0x9e3779b97f4a7c15
	for _, id := range ids {
		h = mixID(h, uint64(id))
	}
	i, ok := d.first[h]
	for ok && !slices.Equal(d.ids[d.start[i]:d.start[i+1]], ids) {
		i = d.next[i]
		ok = i >= 0
	}
	if !ok {
		i = int32(len(d.seen))
		if chain, found := d.first[h]; found {
			d.next = append(d.next, chain)
		} else {
			d.next = append(d.next, -1)
		}
		d.first[h] = i
		d.ids = append(d.ids, ids...)
		d.start = append(d.start, int32(len(d.ids)))
		d.values = append(d.values, make([]int64, d.columns)...)
		d.seen = append(d.seen, 0)
		if len(d.ids) > math.MaxInt32 {
			return errNotStreamed
		}
	}
	d.seen[i] |= mask
	row := d.values[int(i)*d.columns:]
	for j, v := range vals {
		row[j] += v
	}
	return nil
}

// stacks expands the distinct stacks with a sample valued in column
// sampleIndex into functions, with raw's locations.
func (d *stackDecoder) stacks(raw *profile.Profile, sampleIndex int, g Granularity) (*Stacks, error) {
	funcs := &funcTable{granularity: g}
	frames := newFrameTable(raw, funcs)
	var dense []int32 // location index by ID, for IDs up to a few per location
	var sparse map[uint64]int32
	maxID := uint64(0)
	for _, l := range raw.Location {
		maxID = max(maxID, l.ID)
	}
	if maxID <= uint64(4*len(raw.Location)+1024) {
		dense = make([]int32, maxID+1)
		for i := range dense {
			dense[i] = -1
		}
		for i, l := range raw.Location {
			dense[l.ID] = int32(i)
		}
	} else {
		sparse = make(map[uint64]int32, len(raw.Location))
		for i, l := range raw.Location {
			sparse[l.ID] = int32(i)
		}
	}
	locIndex := func(id uint32) int32 {
		if dense != nil {
			if int(id) < len(dense) {
				return dense[id]
			}
			return -1
		}
		if i, ok := sparse[uint64(id)]; ok {
			return i
		}
		return -1
	}

	for w, word := range d.used {
		for ; word != 0; word &= word - 1 {
			if locIndex(uint32(w*64+bits.TrailingZeros64(word))) < 0 {
				return nil, errNotStreamed // pprof: a sample with a nil location
			}
		}
	}

	st := raw.SampleType[sampleIndex]
	s := &Stacks{Funcs: nil, SampleType: SampleType{Name: st.Type, Unit: st.Unit}, SampleIndex: sampleIndex, Granularity: g,
		names: &funcNames{}, start: make([]int, 1, len(d.seen)+1), value: make([]int64, 0, len(d.seen))}
	// A frame a location, and an eighth more for inlined calls: made at
	// once rather than grown (see readStream).
	s.list = make([]FuncID, 0, len(d.ids)+len(d.ids)/8)
	s.inlined = make(bitSet, 0, cap(s.list)/64+1)
	if d.columns > 0 {
		s.AbsTotal = d.absTotal[sampleIndex]
	}
	bit := uint64(1) << sampleIndex
	for i, seen := range d.seen {
		if seen&bit == 0 {
			continue
		}
		ids := d.ids[d.start[i]:d.start[i+1]]
		for k := len(ids) - 1; k >= 0; k-- {
			li := locIndex(ids[k])
			s.appendLocation(frames.list[frames.start[li]:frames.start[li+1]])
		}
		s.start = append(s.start, len(s.list))
		s.value = append(s.value, d.values[i*d.columns+sampleIndex])
	}
	s.Funcs = funcs.funcs
	return s, nil
}

// mixID adds a location ID to a stack's hash; hashLocations uses it too.
func mixID(h, id uint64) uint64 {
	h ^= id
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>31
}
