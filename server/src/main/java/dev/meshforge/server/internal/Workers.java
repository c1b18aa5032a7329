// The worker pool: claims tasks from the queue, runs them through the ops contract, stores what they made.
package dev.meshforge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshforge.core.MeshforgeException;
import dev.meshforge.core.ProgressListener;
import dev.meshforge.core.io.Formats;
import dev.meshforge.core.io.ReadOptions;
import dev.meshforge.core.ops.Cancellation;
import dev.meshforge.core.ops.Limits;
import dev.meshforge.core.ops.RunControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A fixed number of worker threads (platform threads: a tool spends its time in the kernel, where a virtual thread
 * would pin its carrier anyway). Each claims a task under a lease, runs it, and records the outcome only while it
 * still holds the lease. A heartbeat extends the lease while the kernel runs between progress reports. A sweeper
 * deletes the files of tasks past their time.
 *
 * <p>The rule on priorities: the op itself (fetching the model into the scratch folder, reading it, running the tool,
 * storing its files) runs on an op thread of its own, which may run at a lower Linux priority ({@link ThreadNice});
 * everything that touches the database (the claim, progress and heartbeats, the finish or fail transaction) runs on
 * the worker thread or the timer thread at the API's priority. A thread at a low priority never holds the database's
 * writer or a lock a request waits for, so lowering it cannot make requests wait behind it.
 */
public final class Workers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

    /**
     * How workers run: how many, their lease, the limits every run gets, and how many nice steps below the
     * process's priority the op threads run (0: the same; see {@link ThreadNice}).
     */
    public record Settings(int count, Duration lease, Duration poll, Duration sweep, ReadOptions read,
                           Limits limits, int opNice) {
    }

    private final TaskStore tasks;
    private final TaskFiles files;
    private final ToolCatalog catalog;
    private final Settings settings;
    private final Path scratchRoot;
    private final String owner;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService timers = timerPool();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The op threads, one a worker: they run the tools and never touch the database. */
    private final ExecutorService ops;
    /** Said once a process where op threads cannot be lowered. */
    private static final AtomicBoolean NICE_WARNED = new AtomicBoolean();

    public Workers(TaskStore tasks, TaskFiles files, ToolCatalog catalog, Settings settings, Path scratchRoot) {
        this.tasks = tasks;
        this.files = files;
        this.catalog = catalog;
        this.settings = settings;
        this.scratchRoot = scratchRoot;
        this.owner = "worker-" + ProcessHandle.current().pid() + "-" + Database.newId("").substring(0, 8);
        int nice = settings.opNice();
        // "mf-op-" first: Linux keeps a thread's first 15 characters as its name, which is how a profile or the
        // load test tells the op threads' CPU time from the rest of the process's (/proc/PID/task/*/stat).
        ThreadFactory opThreads = Thread.ofPlatform().name("mf-op-" + owner + "-", 0).daemon().factory();
        this.ops = Executors.newFixedThreadPool(Math.max(1, settings.count()), r -> opThreads.newThread(() -> {
            // The ops take what the API's threads, the database and anything else on the machine leave of the
            // cores, and all of an idle core; native threads the kernel starts from an op thread inherit its value.
            if (nice > 0 && !ThreadNice.lower(nice) && !NICE_WARNED.getAndSet(true)) {
                LOG.warn("op_nice {}: op threads run at the API's priority (no per-thread nice value here)", nice);
            }
            r.run();
        }));
    }

    /**
     * The timer thread: heartbeats and the sweep. A task's heartbeat is cancelled when it ends, most often long
     * before its first beat; a cancelled beat leaves the queue at once instead of waking the thread at its time.
     */
    private static ScheduledExecutorService timerPool() {
        var pool = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("meshforge-timers")
                .factory());
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    public void start() {
        for (int i = 0; i < settings.count(); i++) {
            Thread t = Thread.ofPlatform().name(owner + "-" + i).daemon().start(this::loop);
            threads.add(t);
        }
        long sweep = settings.sweep().toMillis();
        timers.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** A task was queued: a waiting worker looks now rather than at its next poll. */
    public void poke() {
        wake.release();
    }

    private void loop() {
        // One scratch folder a worker thread for as long as it runs: creating and removing a folder a task cost
        // more of a small task's time than the tool (a directory's removal waits for the file system).
        Path scratch = scratchRoot.resolve(Thread.currentThread().getName());
        TaskStore.Task next = null;
        while (!stopping.get()) {
            try {
                TaskStore.Task task = next != null ? next : tasks.claim(owner, settings.lease(), Instant.now());
                next = null;
                if (task == null) {
                    wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    continue;
                }
                next = run(task, scratch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database was busy or gone: wait and try again; the lease keeps the task safe meanwhile.
                LOG.warn("worker loop: {}", e.toString());
                try {
                    Thread.sleep(settings.poll().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        if (next != null) {
            // Claimed as the last task finished, while this pool was being closed: back to the queue untouched.
            try {
                tasks.release(next.id(), owner);
            } catch (RuntimeException e) {
                LOG.warn("task {} stays under its lease until it runs out: {}", next.id(), e.toString());
            }
        }
    }

    /** Runs a claimed task to its end; returns the task claimed in the transaction that finished it, or null. */
    private TaskStore.Task run(TaskStore.Task task, Path scratch) {
        // A line a task costs a tenth of a small task's worker time: a first attempt is logged at debug, a task
        // taken up again after a lost lease at info.
        if (task.attempts() > 1) {
            LOG.info("task {} ({}) taken up again by {}, attempt {}", task.id(), task.tool(), owner, task.attempts());
        } else {
            LOG.debug("task {} ({}) claimed by {}", task.id(), task.tool(), owner);
        }
        AtomicInteger percent = new AtomicInteger(task.progress());
        AtomicReference<String> stage = new AtomicReference<>("read");
        AtomicBoolean leaseHeld = new AtomicBoolean(true);
        Cancellation cancel = new Cancellation();
        // The claim has just set the lease: the first progress write can wait as long as any later one.
        long[] lastWrite = {System.nanoTime()};
        Runnable heartbeat = () -> {
            if (!tasks.progress(task.id(), owner, percent.get(), stage.get(),
                    Instant.now().plus(settings.lease()))) {
                leaseHeld.set(false);
                cancel.cancel();
            }
        };
        long beat = Math.max(50, settings.lease().toMillis() / 3);
        var beating = timers.scheduleWithFixedDelay(heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        ProgressListener listener = (fraction, name) -> {
            // Progress ends at 99 until the results are stored: 100 means they can be downloaded.
            int p = (int) Math.min(99, Math.max(0, Math.floor(fraction * 100)));
            boolean changed = p != percent.getAndSet(p) | !name.equals(stage.getAndSet(name));
            long now = System.nanoTime();
            if (changed && now - lastWrite[0] > 200_000_000L) {
                lastWrite[0] = now;
                // Written by the timer thread: the op thread (perhaps at a lower priority) never writes.
                try {
                    timers.execute(heartbeat);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // Closing: the lease runs out on its own.
                }
            }
            return leaseHeld.get() && !stopping.get();
        };
        try {
            Future<Op> running = ops.submit(() -> op(task, scratch, listener, cancel));
            Op op;
            try {
                op = running.get();
            } catch (InterruptedException e) {
                // Closing: the op stops at its next progress report (the lease keeps the task safe meanwhile); its
                // scratch folder is emptied once it has.
                cancel.cancel();
                beating.cancel(false);
                try {
                    running.get(10, TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException ignored) {
                    // Stopped, failed or still running: nothing of it is recorded.
                }
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case MeshforgeException m -> throw m;
                    case IOException io -> throw io;
                    case RuntimeException r -> throw r;
                    case Error err -> throw err;
                    default -> throw new IllegalStateException(e.getCause());
                }
            }
            beating.cancel(false);
            TaskStore.Finished done = tasks.finish(task.id(), owner, op.report(), op.results(), Instant.now(),
                    stopping.get() ? null : settings.lease());
            if (done.stored()) {
                dropInput(task);
            } else {
                LOG.warn("task {}: lease lost before it finished; another worker has it", task.id());
            }
            return done.next();
        } catch (MeshforgeException e) {
            beating.cancel(false);
            if (leaseHeld.get() && !stopping.get()
                    && tasks.fail(task.id(), owner, clientSentence(e.getMessage(), task), Instant.now())) {
                dropInput(task);
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            beating.cancel(false);
            LOG.error("task {} failed inside the server", task.id(), e);
            if (leaseHeld.get() && !stopping.get() && tasks.fail(task.id(), owner,
                    "the server failed while running the task (" + e.getClass().getSimpleName()
                            + "); it was not charged", Instant.now())) {
                dropInput(task);
            }
        } finally {
            beating.cancel(false);
            try {
                // Whatever the task left (its results were moved out; a copy of its model; a failed run's files)
                // goes; the folders stay for the next task.
                DirectoryTaskFiles.deleteInside(scratch, "out");
            } catch (IOException e) {
                LOG.warn("could not empty {}: {}", scratch, e.toString());
            }
        }
        return null;
    }

    /**
     * The model of a task that has just ended leaves the store: nothing reads it again (a task that ended is never
     * run again, and a repeated request is matched by its hash). Where that fails, it stays until the task expires
     * and the sweep deletes the whole task.
     */
    private void dropInput(TaskStore.Task task) {
        try {
            files.deleteInput(task.id(), task.inputName(), task.attempts() == 1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("task {}: its model stays until the task expires: {}", task.id(), e.toString());
        }
    }

    /** What an op hands back to its worker: the report as JSON and the stored results. */
    private record Op(String report, List<TaskStore.Result> results) {
    }

    /**
     * The op itself, on an op thread: the model into the scratch folder, the tool, its files stored. No database
     * access here (see the class comment).
     */
    private Op op(TaskStore.Task task, Path scratch, ProgressListener listener, Cancellation cancel)
            throws IOException {
        // The folder stays from one task to the next (emptied, see run): made only where it is missing, since
        // Files.createDirectories on a folder that exists throws and catches exceptions inside the JDK each call.
        Path out = scratch.resolve("out");
        if (!Files.isDirectory(out)) {
            Files.createDirectories(out);
        }
        Path input = files.input(task.id(), task.inputName(), scratch);
        JsonNode options = Json.read(task.options());
        ToolCatalog.Outcome outcome;
        try (var scene = Formats.read(input, settings.read())) {
            outcome = catalog.run(task.tool(), options, scene, baseName(task.inputName()), out,
                    new RunControl(listener, cancel, settings.limits()));
        }
        List<TaskStore.Result> results = new ArrayList<>();
        try (Stream<Path> written = Files.list(out)) {
            for (Path f : written.sorted().toList()) {
                String name = f.getFileName().toString();
                results.add(new TaskStore.Result(name, assetType(name), Files.size(f)));
                files.putResult(task.id(), name, f);
            }
        }
        java.util.Map<String, Object> report = new java.util.LinkedHashMap<>(outcome.report());
        report.put("warnings", outcome.warnings().stream().map(w -> w.replace(input.toString(),
                task.inputName())).toList());
        return new Op(Json.write(report), results);
    }

    /** The engine names files by their path on this machine; the client knows its file by its own name. */
    private String clientSentence(String message, TaskStore.Task task) {
        String m = message == null ? "the task failed" : message;
        String dir = scratchRoot.getParent() == null ? "" : scratchRoot.getParent().toString();
        m = m.replaceAll("\\S*" + java.util.regex.Pattern.quote(task.inputName()), task.inputName());
        return dir.isEmpty() ? m : m.replace(dir, "");
    }

    private static String baseName(String inputName) {
        int dot = inputName.lastIndexOf('.');
        return dot > 0 ? inputName.substring(0, dot) : inputName;
    }

    static String assetType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(Thumbnails.SUFFIX)) {
            return "thumbnail";
        }
        if (n.endsWith(".obj.zip")) {
            return "obj_zip";
        }
        if (n.endsWith(".fbx.zip")) {
            return "fbx_zip";
        }
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "file" : n.substring(dot + 1);
    }

    private void sweep() {
        try {
            files.sweepSpares();
        } catch (IOException | RuntimeException e) {
            LOG.warn("sweep of kept models: {}", e.toString());
        }
        try {
            for (TaskStore.Task t : tasks.expired(Instant.now())) {
                files.delete(t.id());
                tasks.markPurged(t.id(), Instant.now());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("sweep: {}", e.toString());
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        timers.shutdownNow();
        ops.shutdown();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!t.isAlive()) {
                try {
                    DirectoryTaskFiles.deleteTree(scratchRoot.resolve(t.getName()));
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", scratchRoot.resolve(t.getName()), e.toString());
                }
            }
        }
    }
}
