package analyze

import "testing"

func TestScore(t *testing.T) {
	cases := []struct {
		b, w, i    int
		unreadable bool
		want       int
	}{
		{0, 0, 0, false, 100},
		{0, 0, 3, false, 98},
		{0, 0, 100, false, 95}, // info capped at 5
		{0, 4, 0, false, 88},   // 3 per warning
		{0, 50, 50, false, 65}, // warnings capped at 30, info at 5
		{1, 0, 0, false, 69},   // any blocker caps at 69
		{2, 0, 0, false, 69},   // 100-30 = 70 → capped
		{4, 0, 0, false, 40},   // 15 per blocker for the first four
		{6, 0, 0, false, 30},   // then 5 each
		{20, 50, 50, false, 0}, // floor
		{0, 0, 0, true, 0},     // unreadable
	}
	for _, c := range cases {
		if got := Score(c.b, c.w, c.i, c.unreadable); got != c.want {
			t.Errorf("Score(%d, %d, %d, %v) = %d, want %d", c.b, c.w, c.i, c.unreadable, got, c.want)
		}
	}
}
