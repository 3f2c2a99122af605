package io.jbpf.test.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PcapFilterTcpdumpTest}'s comparison over real traffic that tcpdump itself captured on a veth
 * between two network namespaces this test creates ({@code jbpf-<pid>-<n>a/b}; nothing leaves
 * them): ARP, ping and 3000-byte (fragmented) ping over IPv4 and IPv6, neighbour discovery, UDP,
 * TCP to closed ports and (where python3 is installed, as a listener) an open one with an HTTP
 * request, and pings over a VLAN (id 10) and a stacked VLAN (10 then 20). Needs root.
 */
@KernelTest
class PcapFilterLiveCaptureTest {
    @TempDir
    Path dir;

    @Test
    void agreesWithTcpdumpOnLiveTrafficItCaptured() throws Exception {
        Path capture = dir.resolve("live.pcap");
        Map<String, String> vars = new HashMap<>();
        NetLab lab = NetLab.create();
        Process tcpdump = null;
        Process server = null;
        try {
            String subnet = lab.addressA().split("\\.")[2];
            String a6 = "fd00:201:" + subnet + "::1";
            String b6 = "fd00:201:" + subnet + "::2";
            vars.put("$A", lab.addressA());
            vars.put("$B", lab.addressB());
            vars.put("$A6", a6);
            vars.put("$B6", b6);
            vars.put("$NET", "10.201." + subnet + ".0/24");
            lab.ip(lab.nsA(), "addr", "add", a6 + "/64", "dev", NetLab.A_IF, "nodad");
            lab.ip(lab.nsB(), "addr", "add", b6 + "/64", "dev", NetLab.B_IF, "nodad");
            // VLAN sub-interfaces need the kernel's 8021q support; without it the tagged traffic is
            // left out here (the built corpus of PcapFilterTcpdumpTest has VLAN and QinQ frames)
            boolean vlan = Shell.run("ip", "-n", lab.nsA(), "link", "add", "link", NetLab.A_IF, "name", "jbpf-a.10",
                    "type", "vlan", "id", "10").ok();
            if (vlan) {
                lab.ip(lab.nsB(), "link", "add", "link", NetLab.B_IF, "name", "jbpf-b.10", "type", "vlan", "id", "10");
                lab.ip(lab.nsA(), "link", "add", "link", "jbpf-a.10", "name", "jbpf-a.q", "type", "vlan", "id", "20");
                lab.ip(lab.nsB(), "link", "add", "link", "jbpf-b.10", "name", "jbpf-b.q", "type", "vlan", "id", "20");
                lab.ip(lab.nsA(), "addr", "add", "10.202." + subnet + ".1/24", "dev", "jbpf-a.10");
                lab.ip(lab.nsB(), "addr", "add", "10.202." + subnet + ".2/24", "dev", "jbpf-b.10");
                lab.ip(lab.nsA(), "addr", "add", "10.203." + subnet + ".1/24", "dev", "jbpf-a.q");
                lab.ip(lab.nsB(), "addr", "add", "10.203." + subnet + ".2/24", "dev", "jbpf-b.q");
                for (String l : new String[] {"jbpf-a.10", "jbpf-a.q"}) {
                    lab.ip(lab.nsA(), "link", "set", l, "up");
                }
                for (String l : new String[] {"jbpf-b.10", "jbpf-b.q"}) {
                    lab.ip(lab.nsB(), "link", "set", l, "up");
                }
            } else {
                System.out.println("NOTE: this kernel has no VLAN devices (8021q); the live capture has no tagged"
                        + " frames");
            }
            tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.nsB(), "tcpdump", "-i", NetLab.B_IF, "-U", "-n",
                    "-s", "0", "-w", capture.toString()).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8));
            assertThat(err.readLine()).as("tcpdump's first line").contains("listening on");
            boolean python = new File("/usr/bin/python3").canExecute();
            if (python) {
                server = new ProcessBuilder("ip", "netns", "exec", lab.nsB(), "/usr/bin/python3", "-c",
                        "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                                + "s.bind(('0.0.0.0',8080))\ns.listen()\nc,_=s.accept()\nc.recv(1000)\n"
                                + "c.sendall(b'HTTP/1.0 200 OK\\r\\n\\r\\nok')\nc.close()\n").start();
            }
            String a = lab.nsA();
            String b = lab.addressB();
            Shell.check("ip", "netns", "exec", a, "ping", "-c", "2", "-i", "0.2", "-W", "1", b);
            Shell.check("ip", "netns", "exec", a, "ping", "-c", "1", "-s", "3000", "-W", "1", b);
            Shell.check("ip", "netns", "exec", a, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "1", b6);
            Shell.check("ip", "netns", "exec", a, "ping", "-6", "-c", "1", "-s", "3000", "-W", "1", b6);
            if (vlan) {
                Shell.check("ip", "netns", "exec", a, "ping", "-c", "1", "-W", "1", "10.202." + subnet + ".2");
                Shell.check("ip", "netns", "exec", a, "ping", "-c", "1", "-W", "1", "10.203." + subnet + ".2");
            }
            Shell.run("ip", "netns", "exec", a, "bash", "-c", "echo hello >/dev/udp/" + b + "/53; echo x >/dev/udp/"
                    + b + "/5353; echo y >/dev/udp/" + b6 + "/53");
            Shell.run("ip", "netns", "exec", a, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + b + "/80");
            Shell.run("ip", "netns", "exec", a, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + b6 + "/22");
            if (python) {
                Thread.sleep(300);
                Shell.run("ip", "netns", "exec", a, "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + b
                        + "/8080; printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
            }
            Thread.sleep(500);
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            if (tcpdump != null && tcpdump.isAlive()) {
                tcpdump.destroy();
                tcpdump.waitFor(5, TimeUnit.SECONDS);
            }
            lab.close();
        }
        List<PcapRecord> recs = PcapReader.readAll(capture);
        assertThat(recs.size()).as("packets captured").isGreaterThan(25);
        List<FilterCorpus.Frame> frames = new ArrayList<>();
        for (PcapRecord r : recs) {
            frames.add(new FilterCorpus.Frame(r.data(), r.originalLength()));
        }
        PcapFilterTcpdumpTest.in(dir).compareAll("live", frames, vars, 0.5);
    }
}
