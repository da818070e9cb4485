# fdpass_loop.pl: Perl's IO::FDPass doing the benchmark's loop (one
# descriptor out, one in, closed). Prints CPU seconds per transfer.
use strict;
use warnings;
use IO::FDPass;
use Socket;
use POSIX ();
use Time::HiRes qw(clock_gettime CLOCK_PROCESS_CPUTIME_ID);

my $count = shift @ARGV;
socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!";
my ($tx, $rx) = (fileno($a), fileno($b));
my $start = clock_gettime(CLOCK_PROCESS_CPUTIME_ID);
for (1 .. $count) {
    IO::FDPass::send($tx, $tx) or die "send: $!";
    my $fd = IO::FDPass::recv($rx);
    die "recv: $!" if $fd < 0;
    POSIX::close($fd);
}
printf "%.9f\n", (clock_gettime(CLOCK_PROCESS_CPUTIME_ID) - $start) / $count;
