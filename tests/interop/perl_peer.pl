# perl_peer.pl: Perl's IO::FDPass against libgivefd, both ways, across two
# processes.
use strict;
use warnings;
use IO::FDPass;
use Socket;
use Fcntl;

my $peer = shift @ARGV;

sub open_fds {
    opendir(my $dir, "/proc/self/fd") or return -1;
    my $count = grep { /^\d+$/ } readdir($dir);
    closedir($dir);
    return $count;
}
my $fds_before = open_fds();

sub start {
    my ($mode, $sock, $arg) = @_;
    my $flags = fcntl($sock, F_GETFD, 0);
    fcntl($sock, F_SETFD, $flags & ~FD_CLOEXEC) or die "fcntl: $!";
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        exec($peer, $mode, fileno($sock), $arg) or die "exec: $!";
    }
    return $pid;
}

sub finish {
    my ($pid, $what) = @_;
    waitpid($pid, 0);
    die "perl_peer: C side of $what failed\n" if $? != 0;
}

# C gives, Perl takes.
socketpair(my $mine, my $theirs, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!";
my $pid = start("give-pipe", $theirs, "to C from Perl");
close($theirs);
my $fd = IO::FDPass::recv(fileno($mine));
die "perl_peer: recv: $!\n" if $fd < 0;
open(my $w, ">&=", $fd) or die "open: $!";
syswrite($w, "to C from Perl");
close($w);
finish($pid, "give-pipe");
close($mine);

# Perl gives, C takes.
socketpair($mine, $theirs, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!";
pipe(my $r, my $pw) or die "pipe: $!";
$pid = start("take-pipe", $theirs, "to Perl from C");
close($theirs);
IO::FDPass::send(fileno($mine), fileno($pw)) or die "perl_peer: send: $!\n";
close($pw);
my $text = do { local $/; <$r> };
die "perl_peer: got '$text'\n" unless $text eq "to Perl from C";
close($r);
finish($pid, "take-pipe");
close($mine);
die "perl_peer: descriptor leaked\n" if open_fds() != $fds_before;
print "perl interop: ok\n";
