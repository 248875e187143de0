package evaluation

import (
	"math/rand/v2"
	"slices"
)

// Draw picks n of the eligible case ids at random, reproducibly: the same
// seed and the same eligible cases give the same sample whatever order the
// ids came in (they are sorted first). All of them when there are no more
// than n. The ids come back in the order drawn.
func Draw(seed int64, eligible []int64, n int) []int64 {
	return DrawStream(seed, 0, eligible, n)
}

// DrawStream is Draw on one of the seed's independent streams: a round
// draws each town on its own stream (the town's id), so adding a town to a
// round does not change what the others drew.
func DrawStream(seed, stream int64, eligible []int64, n int) []int64 {
	ids := slices.Clone(eligible)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if n <= 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(seed), uint64(stream)))
	// A partial Fisher–Yates shuffle: the first n places are the sample.
	for i := 0; i < n && i < len(ids)-1; i++ {
		j := i + r.IntN(len(ids)-i)
		ids[i], ids[j] = ids[j], ids[i]
	}
	if len(ids) > n {
		ids = ids[:n]
	}
	return ids
}

// NewSeed is a random seed for a round, shown on its page (positive and
// short enough to copy by hand).
func NewSeed() int64 { return rand.Int64N(1_000_000_000) + 1 }
