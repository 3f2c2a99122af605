package io.jbpf.netpolicy.identity;

import io.jbpf.maps.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives each distinct set of labels a numeric identity. Reserved labels ({@code reserved:host}, …)
 * get their reserved numbers; pod label sets get cluster identities from
 * {@value Identity#MIN_CLUSTER} up; CIDRs get node-local identities from {@link Identity#MIN_LOCAL}.
 *
 * <p>Cluster identities must agree across the nodes of a cluster (a node judges a packet from
 * another node's pod by the number its ipcache holds). {@link #shared(Path)} keeps them in a file
 * that the agents of all nodes share, allocating under a file lock, as Cilium's agents share
 * CiliumIdentity objects through the API server. CIDR identities stay on the node, as in Cilium.
 * Instances are safe for use by many threads.
 */
public final class IdentityAllocator {
    /** One JVM may not hold two locks on a file, so allocators in one process also queue here. */
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final Map<Labels, Identity> byLabels = new HashMap<>();
    private final TreeMap<Integer, Identity> byId = new TreeMap<>();
    private final Map<Cidr, Identity> byCidr = new HashMap<>();
    private int nextLocal = Identity.MIN_LOCAL;

    private IdentityAllocator(Path file) {
        this.file = file;
        for (ReservedIdentity r : ReservedIdentity.values()) {
            remember(r.identity());
        }
    }

    /** An allocator whose identities live in this object only (one node, or tests). */
    public static IdentityAllocator inMemory() {
        return new IdentityAllocator(null);
    }

    /**
     * An allocator that shares cluster identities with every other allocator on {@code file}
     * (created when missing), in this process or another.
     *
     * @throws UncheckedIOException when the file cannot be read or created
     */
    public static IdentityAllocator shared(Path file) {
        IdentityAllocator a = new IdentityAllocator(file);
        synchronized (a) {
            a.withLock(ch -> null);
        }
        return a;
    }

    /**
     * The identity of {@code labels}, allocating the next free cluster identity for a new set.
     * A set of exactly one reserved label is that reserved identity.
     *
     * @throws IllegalArgumentException when the labels are empty
     * @throws IllegalStateException    when the cluster identity space is exhausted
     */
    public synchronized Identity allocate(Labels labels) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("an identity needs at least one label");
        }
        Identity known = byLabels.get(labels);
        if (known != null) {
            return known;
        }
        if (file == null) {
            return remember(new Identity(nextCluster(), labels));
        }
        return withLock(ch -> {
            Identity again = byLabels.get(labels);
            if (again != null) {
                return again;
            }
            Identity id = remember(new Identity(nextCluster(), labels));
            ch.write(ByteBuffer.wrap((id.id() + "\t" + labels + "\n").getBytes(StandardCharsets.UTF_8)), ch.size());
            ch.force(false);
            return id;
        });
    }

    /**
     * The node-local identity of a CIDR, as Cilium gives one to each prefix a policy names: its
     * labels are {@code cidr:} labels of the prefix and of every shorter prefix containing it,
     * and {@code reserved:world}, so that a selector of a wide prefix also selects the identities
     * of the narrower ones inside it.
     */
    public synchronized Identity allocateCidr(Cidr cidr) {
        Identity known = byCidr.get(cidr);
        if (known != null) {
            return known;
        }
        Identity id = new Identity(nextLocal++, cidrLabels(cidr));
        byCidr.put(cidr, id);
        byId.put(id.id(), id);
        return id;
    }

    /** The labels of a CIDR identity (see {@link #allocateCidr}). */
    public static Labels cidrLabels(Cidr cidr) {
        List<Label> out = new ArrayList<>();
        for (int len = cidr.prefixLength(); len >= 0; len--) {
            out.add(new Label(Label.CIDR, new Cidr(cidr.address(), len).toString(), ""));
        }
        out.add(Label.reserved("world"));
        return Labels.of(out);
    }

    /** The identity with this number, if this allocator knows it (re-reading a shared file). */
    public synchronized Optional<Identity> lookup(int id) {
        Identity i = byId.get(id);
        if (i == null && file != null && id >= Identity.MIN_CLUSTER && id < Identity.MIN_LOCAL) {
            withLock(ch -> null);
            i = byId.get(id);
        }
        return Optional.ofNullable(i);
    }

    /** The identity of exactly these labels, if allocated. */
    public synchronized Optional<Identity> lookup(Labels labels) {
        return Optional.ofNullable(byLabels.get(labels));
    }

    /** Every identity known here, reserved, cluster and CIDR, by number. */
    public synchronized List<Identity> all() {
        if (file != null) {
            withLock(ch -> null);
        }
        return List.copyOf(byId.values());
    }

    private int nextCluster() {
        Integer last = byId.floorKey(Identity.MIN_LOCAL - 1);
        int next = last == null || last < Identity.MIN_CLUSTER ? Identity.MIN_CLUSTER : last + 1;
        if (next > Identity.MAX_CLUSTER) {
            throw new IllegalStateException("all " + (Identity.MAX_CLUSTER - Identity.MIN_CLUSTER + 1)
                    + " cluster identities are in use");
        }
        return next;
    }

    private Identity remember(Identity id) {
        byLabels.put(id.labels(), id);
        byId.put(id.id(), id);
        return id;
    }

    private interface LockedAction<T> {
        T run(FileChannel ch) throws IOException;
    }

    /** Runs {@code action} holding the file's lock, after reading what other allocators added. */
    private <T> T withLock(LockedAction<T> action) {
        try {
            Path abs = file.toAbsolutePath().normalize();
            Files.createDirectories(abs.getParent());
            synchronized (IN_PROCESS.computeIfAbsent(abs, k -> new Object())) {
                try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                    readAll(ch);
                    return action.run(ch);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("identity file " + file + ": " + e.getMessage(), e);
        }
    }

    private void readAll(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // read on
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            try {
                int id = Integer.parseInt(line.substring(0, tab));
                Labels labels = Labels.parse(line.substring(tab + 1).split(","));
                Identity existing = byId.get(id);
                if (existing != null && !existing.labels().equals(labels)) {
                    throw new IllegalStateException("identity file " + file + " line " + lineNo + " gives identity " + id
                            + " to " + labels + " but it is " + existing.labels());
                }
                remember(new Identity(id, labels));
            } catch (RuntimeException e) {
                if (e instanceof IllegalStateException) {
                    throw e;
                }
                throw new IllegalStateException("identity file " + file + " line " + lineNo + " is not 'ID<TAB>labels': "
                        + line, e);
            }
        }
    }
}
