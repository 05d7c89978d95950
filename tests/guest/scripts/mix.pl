# mix.pl — perl's regexes, sprintf of floats, sort, hashes, pack/unpack.
use strict;
use warnings;
open(my $fh, '<', 'text.txt') or die "text.txt: $!";
my %count;
my $lines = 0;
while (my $l = <$fh>) {
	$lines++;
	$count{lc $1}++ while $l =~ /\b([A-Za-z]{6,})\b/g;
}
close $fh;
my @top = (sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count)[0 .. 9];
printf "%-14s %4d\n", $_, $count{$_} for @top;
print "lines=$lines\n";
printf "%.15g %.3e %g %f %.0f %.0f %s\n", 4 * atan2(1, 1), 6.02e23, 1e-5, 1 / 7, 0.5, 1.5, 0.1 + 0.2;
printf "%s %s %s\n", 2**53 + 1, 9**20, -7 % 3;
my @n = map { ($_ * 7919) % 1009 } 1 .. 40;
print join(",", sort { $a <=> $b } @n), "\n";
my $p = pack("NnCa4Z*w", 0xdeadbeef, 513, 65, "ab", "zed", 300);
print unpack("H*", $p), "\n";
my @u = unpack("NnCa4Z*w", $p);
print "@u\n";
print join("|", map { sprintf "%08b", $_ } unpack("C*", pack("s<", -2))), "\n";
my $s = "2024-02-29T13:45:07";
if ($s =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/) {
	print "date $3/$2/$1 time $4h$5m$6s\n";
}
(my $t = "Hello, World") =~ tr/a-zA-Z/n-za-mN-ZA-M/;
print "$t\n";
print scalar(reverse "stressed"), " ", ucfirst(lc "PERL"), " ", join("-", split //, "abc"), "\n";
