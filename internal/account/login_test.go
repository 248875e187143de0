package account_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"zhifa/internal/account"
	"zhifa/internal/testdb"
	"zhifa/internal/zhifa"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

func newAccounts(t *testing.T) (*account.Service, *testdb.Clock) {
	t.Helper()
	clock := testdb.NewClock()
	return account.New(testdb.New(t).DB, account.NewHasher(account.CheapParams), clock.Now), clock
}

// Attempts from many addresses at many accounts at once, crossing each
// other: no account gets more than its limit of passwords checked, no
// address more than its own, and the locks never deadlock (the test ends).
func TestThrottleUnderCrossingParallelAttempts(t *testing.T) {
	s, _ := newAccounts(t)
	accounts := []string{"maoba-officer1", "maoba-officer2", "maoba-leader", "no-such-user"}
	addresses := []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var mu sync.Mutex
	wrong := map[string]int{} // bad-credential answers per account
	perAddress := map[string]int{}
	var wg sync.WaitGroup
	for i := range 240 {
		user, addr := accounts[i%len(accounts)], addresses[(i/len(accounts))%len(addresses)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Authenticate(ctx, user, "wrong-password", addr)
			mu.Lock()
			defer mu.Unlock()
			switch zhifa.ErrorCode(err) {
			case zhifa.EUNAUTHORIZED:
				wrong[user]++
				perAddress[addr]++
			case zhifa.ETHROTTLED:
			default:
				t.Errorf("%s from %s: %v", user, addr, err)
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatal("parallel logins did not finish: a lock was never released")
	}
	total := 0
	for _, user := range accounts {
		if wrong[user] != account.DefaultThrottle.PerAccount {
			t.Errorf("%s: %d passwords checked, want exactly the limit %d", user, wrong[user], account.DefaultThrottle.PerAccount)
		}
		total += wrong[user]
	}
	for addr, n := range perAddress {
		if n > account.DefaultThrottle.PerAddress {
			t.Errorf("%s: %d passwords checked, over the limit %d", addr, n, account.DefaultThrottle.PerAddress)
		}
	}
	if got := s.Hasher.Checks(); got != int64(total) {
		t.Errorf("%d passwords checked in all, %d answered as wrong", got, total)
	}
}

// The owner's right password before the lock gets in, and the count starts
// again from zero (each attempt is counted before it is checked, so the
// owner's own attempt must not stay counted as a failure).
func TestGoodLoginClearsTheCount(t *testing.T) {
	s, clock := newAccounts(t)
	ctx := context.Background()
	for i := range 4 {
		if _, err := s.Authenticate(ctx, "maoba-officer1", fmt.Sprint("wrong-", i), "10.0.0.9"); zhifa.ErrorCode(err) != zhifa.EUNAUTHORIZED {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	a, err := s.Authenticate(ctx, "maoba-officer1", testdb.Password, "10.0.0.8")
	if err != nil || a.Username != "maoba-officer1" {
		t.Fatalf("the owner's login with 4 failures on record: %v", err)
	}
	// Five more guesses are checked, the sixth is not.
	for i := range 6 {
		_, err := s.Authenticate(ctx, "maoba-officer1", fmt.Sprint("again-", i), "10.0.0.9")
		want := zhifa.EUNAUTHORIZED
		if i == 5 {
			want = zhifa.ETHROTTLED
		}
		if zhifa.ErrorCode(err) != want {
			t.Fatalf("guess %d after a good login: %v, want %s", i, err, want)
		}
	}
	clock.Advance(16 * time.Minute)
	if _, err := s.Authenticate(ctx, "maoba-officer1", testdb.Password, "10.0.0.8"); err != nil {
		t.Fatalf("login after the window: %v", err)
	}
}
