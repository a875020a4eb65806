package images

import (
	"bytes"
	"compress/gzip"
	"io"
	"runtime"
	"sync"
)

// gzip is the slow part of writing a layer, and the standard library's
// compressor uses one core. But a gzip file may be several gzip "members"
// one after the other (RFC 1952, 2.2), and every reader (Go's, zlib's,
// GNU gzip, skopeo, umoci) reads them as one stream. So parallelGzip cuts
// the tar into blocks, compresses each block on its own core as a member of
// its own, and writes the members in order. The output depends only on the
// input and the block size, never on timing: the digest stays stable.

// gzipBlock is the size of the uncompressed block behind each member; a
// new member forgets the last one's dictionary, which costs a little
// compression every block, so blocks are large.
const gzipBlock = 1 << 20

// gzipLevel 3, not gzip's default 6: measured on the benchmark's 100 MB
// (bench_test.go), Go's level 6 is over twice as slow for about 6% less
// size, which made commit slower than `tar -czf`; level 3 is not.
const gzipLevel = 3

type parallelGzip struct {
	w       io.Writer
	buf     *bytes.Buffer
	queue   chan chan []byte // the members, in order, each filled when done
	done    chan error
	wrote   bool
	pool    *sync.Pool
	workers chan struct{}
}

func newParallelGzip(w io.Writer) *parallelGzip {
	n := runtime.GOMAXPROCS(0)
	z := &parallelGzip{
		w:       w,
		queue:   make(chan chan []byte, 2*n),
		done:    make(chan error, 1),
		workers: make(chan struct{}, n),
		pool:    &sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	z.buf = z.pool.Get().(*bytes.Buffer)
	go z.writeMembers()
	return z
}

// writeMembers writes the members in the order they were queued.
func (z *parallelGzip) writeMembers() {
	var err error
	for member := range z.queue {
		b := <-member
		if err == nil {
			_, err = z.w.Write(b)
		}
	}
	z.done <- err
}

func (z *parallelGzip) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		room := gzipBlock - z.buf.Len()
		if room > len(p) {
			room = len(p)
		}
		z.buf.Write(p[:room])
		p = p[room:]
		if z.buf.Len() == gzipBlock {
			z.flush()
		}
	}
	return n, nil
}

// flush hands the current block to a worker.
func (z *parallelGzip) flush() {
	block := z.buf
	z.buf = z.pool.Get().(*bytes.Buffer)
	z.buf.Reset()
	member := make(chan []byte, 1)
	z.queue <- member
	z.workers <- struct{}{}
	z.wrote = true
	go func() {
		defer func() { <-z.workers }()
		var out bytes.Buffer
		out.Grow(block.Len() / 2)
		zw, _ := gzip.NewWriterLevel(&out, gzipLevel) // the level is valid
		zw.Write(block.Bytes())                       // a bytes.Buffer never fails
		zw.Close()
		z.pool.Put(block)
		member <- out.Bytes()
	}()
}

// Close compresses what is left, waits for every member to be written and
// returns the first write error.
func (z *parallelGzip) Close() error {
	if z.buf.Len() > 0 || !z.wrote {
		z.flush()
	}
	close(z.queue)
	return <-z.done
}
