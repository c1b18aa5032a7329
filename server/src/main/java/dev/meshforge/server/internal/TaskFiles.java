// Where a task's model and results are kept: a directory here; an S3-compatible store in scale-out mode.
package dev.meshforge.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** The files of tasks, by task id and a sanitized file name; the only place the API and workers touch them. */
public interface TaskFiles {
    /** Keeps the uploaded model of a task, taking {@code file} (which may be moved). */
    void putInput(String taskId, String name, Path file) throws IOException;

    /**
     * Keeps the uploaded model of a task that arrived whole in memory (base64 in a JSON body, or a multipart body's
     * model part), written once where it is kept: no file in between to create, write, move and have the file system
     * allocate and free. The model is the first {@code length} bytes of {@code content}, which is not kept past the
     * call.
     */
    void putInput(String taskId, String name, byte[] content, int length) throws IOException;

    /** The task's model as a local file a reader can open (the file itself where the store is local). */
    Path input(String taskId, String name, Path scratch) throws IOException;

    /**
     * Deletes the task's model once the task has ended (finished or failed): nothing reads it again, and a store
     * that kept every model for as long as the results would hold each upload a day for nothing. Where it is
     * already gone, nothing happens. {@code onlyRun}: the run that ended the task was its only one (its first attempt),
     * so no other run of it can still be reading the model; only then may a store reuse the model's file for a later
     * model (the directory store's {@link SpareFiles}) instead of deleting it.
     */
    void deleteInput(String taskId, String name, boolean onlyRun) throws IOException;

    /**
     * Deletes what the store keeps of ended tasks' models for later models to be written over, where it has been kept
     * long enough ({@link SpareFiles#MAX_AGE}); called by the workers' periodic sweep. Nothing, for a store that keeps
     * none.
     */
    default void sweepSpares() throws IOException {
    }

    /** Keeps one result file, taking {@code file}. */
    void putResult(String taskId, String name, Path file) throws IOException;

    /** Opens a result for download; throws {@link java.nio.file.NoSuchFileException} where it is gone. */
    InputStream openResult(String taskId, String name) throws IOException;

    /** Deletes everything of the task: its model and results. */
    void delete(String taskId) throws IOException;
}
