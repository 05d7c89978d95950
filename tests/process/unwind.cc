// unwind.cc — C++ exceptions and stack introspection on the guest stack:
// throws through several frames with destructors running in order, out
// of a qsort comparator (through libc's frames), rethrow, nested
// exceptions, exceptions carried between threads, and backtrace() with
// symbol names.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <execinfo.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static std::string log;

struct Guard {
	const char *name;
	explicit Guard(const char *n) : name(n) {}
	~Guard() { log += std::string("~") + name + " "; }
};

__attribute__((noinline)) static int level3(int x)
{
	Guard g("l3");
	if (x > 2)
		throw std::runtime_error("deep " + std::to_string(x));
	return x;
}

__attribute__((noinline)) static int level2(int x)
{
	Guard g("l2");
	return level3(x + 1) + 1;
}

__attribute__((noinline)) static int level1(int x)
{
	Guard g("l1");
	try {
		return level2(x + 1);
	} catch (const std::logic_error &) {
		return -1; // not this one
	}
}

struct Bad {
	int at;
};

static int compared;

static int cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	if (++compared == 25)
		throw Bad{x};
	return (x > y) - (x < y);
}

static volatile int after_call; // keeps the calls below from being tail calls

// Exported (-rdynamic) so that backtrace_symbols can name them.
extern "C" __attribute__((noinline)) void show_backtrace(void)
{
	void *frames[32];
	int n = backtrace(frames, 32);
	char **names = backtrace_symbols(frames, n);
	printf("backtrace:");
	// Names only: addresses differ from run to run. Stop after main.
	for (int i = 0; i < n; i++) {
		const char *s = strchr(names[i], '(');
		const char *e = s ? strpbrk(s, "+)") : nullptr;
		if (!s || !e || e == s + 1)
			continue;
		printf(" %.*s", (int)(e - s - 1), s + 1);
		if (!strncmp(s + 1, "main+", 5))
			break;
	}
	printf("\n");
	free(names);
}

extern "C" __attribute__((noinline)) void bt_inner(void)
{
	show_backtrace();
	after_call = after_call + 1;
}

extern "C" __attribute__((noinline)) void bt_outer(void)
{
	bt_inner();
	after_call = after_call + 1;
}

int main()
{
	try {
		level1(1);
	} catch (const std::exception &e) {
		printf("caught '%s' after: %s\n", e.what(), log.c_str());
	}

	std::vector<int> v;
	for (int i = 0; i < 100; i++)
		v.push_back((i * 37) % 101);
	try {
		qsort(v.data(), v.size(), sizeof v[0], cmp);
		printf("qsort finished?\n");
	} catch (const Bad &b) {
		printf("caught Bad{%d} from inside qsort after %d comparisons\n", b.at, compared);
	}

	try {
		try {
			throw std::invalid_argument("inner");
		} catch (...) {
			std::throw_with_nested(std::runtime_error("outer"));
		}
	} catch (const std::exception &e) {
		printf("nested: %s", e.what());
		try {
			std::rethrow_if_nested(e);
		} catch (const std::exception &inner) {
			printf(" <- %s\n", inner.what());
		}
	}

	std::exception_ptr ep;
	std::thread t([&] {
		try {
			level1(5);
		} catch (...) {
			ep = std::current_exception();
		}
	});
	t.join();
	try {
		std::rethrow_exception(ep);
	} catch (const std::runtime_error &e) {
		printf("from a thread: %s\n", e.what());
	}

	int caught = 0;
	for (int i = 0; i < 2000; i++) {
		try {
			level3(3 + i % 3);
		} catch (const std::runtime_error &) {
			caught++;
		}
	}
	printf("caught %d in a loop\n", caught);

	bt_outer();
	return after_call - 2;
}
