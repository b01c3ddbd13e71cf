package sandbox

// overlay is what mutations changed in one kind's index space. Generated
// objects are never stored; an overlay holds only the differences, so memory
// grows with the number of mutations, not with the scale.
type overlay struct {
	created []int64         // created of appended objects: index base+k is created[k]
	variant []uint8         // a kind-specific choice per appended object (a price's interval)
	links   [][2]int32      // objects an appended object refers to, chosen among live ones when it was made
	version map[int32]int32 // index → number of updates so far
	updated map[int32]int64 // index → when the latest update was made
	deleted map[int32]int64 // index → when the object was deleted
}

// mutEvent is an event a mutation made. The object it carries is rendered
// when the event is listed, at the revision the event recorded.
type mutEvent struct {
	created int64
	typ     string // "customer.updated", …
	view    view   // how to render data.object
	index   int
	rev     rev
	prevRev bool // updates carry previous_attributes (rev.v-1)
}
