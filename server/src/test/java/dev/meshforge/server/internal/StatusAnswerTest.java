package dev.meshforge.server.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A status answer's bytes: every member in the documented order, nulls written, the stored report as it is. */
class StatusAnswerTest {
    private static final String ASSETS = "http://127.0.0.1:8080/v1/generation-request/task_a/assets/";

    private static TaskStore.Task task(String status, int progress, String stage, String failure, String report,
                                       Instant started, Instant finished, Instant expires) {
        return new TaskStore.Task("task_a", "acct_1", "key_1", "convert", "{\"output_format\":\"stl\"}", "m.glb", 5,
                status, progress, stage, failure, report, null, "", 1, "worker-1", null,
                Instant.parse("2026-01-02T03:04:05.678Z"), started, finished, expires, null);
    }

    private static String answer(TaskStore.View view) {
        return new String(StatusAnswer.bytes(view, ASSETS), StandardCharsets.UTF_8);
    }

    @Test
    void aFinishedTaskListsItsResultsWithTheirThumbnailsAndItsReportAsStored() {
        TaskStore.Task t = task("FINISHED", 100, null, null, "{\"seconds\":0.25,\"triangles\":12}",
                Instant.parse("2026-01-02T03:04:06Z"), Instant.parse("2026-01-02T03:04:07.5Z"),
                Instant.parse("2026-01-09T03:04:07.5Z"));
        List<TaskStore.Result> results = List.of(new TaskStore.Result("m.stl", "stl", 684),
                new TaskStore.Result("m.stl.thumbnail.png", "thumbnail", 2048),
                new TaskStore.Result("report.zip", "zip", 99));
        assertEquals("{\"task_id\":\"task_a\",\"tool\":\"convert\",\"status\":\"FINISHED\",\"progress\":100,"
                + "\"stage\":null,\"failure_reason\":null,\"results\":["
                + "{\"asset\":\"" + ASSETS + "m.stl\",\"asset_type\":\"stl\",\"name\":\"m.stl\",\"bytes\":684,"
                + "\"thumbnail\":\"" + ASSETS + "m.stl.thumbnail.png\"},"
                + "{\"asset\":\"" + ASSETS + "report.zip\",\"asset_type\":\"zip\",\"name\":\"report.zip\","
                + "\"bytes\":99,\"thumbnail\":null}],"
                + "\"report\":{\"seconds\":0.25,\"triangles\":12},\"cost\":5,"
                + "\"created_at\":\"2026-01-02T03:04:05.678Z\",\"started_at\":\"2026-01-02T03:04:06Z\","
                + "\"finished_at\":\"2026-01-02T03:04:07.500Z\",\"expires_at\":\"2026-01-09T03:04:07.500Z\"}",
                answer(new TaskStore.View(t, results)));
    }

    @Test
    void aRunningTaskHasNoResultsAndNullsWhereNothingIsKnownYet() {
        TaskStore.Task t = task("IN_PROGRESS", 40, "reading \"m.glb\"", null, null,
                Instant.parse("2026-01-02T03:04:06Z"), null, null);
        assertEquals("{\"task_id\":\"task_a\",\"tool\":\"convert\",\"status\":\"IN_PROGRESS\",\"progress\":40,"
                + "\"stage\":\"reading \\\"m.glb\\\"\",\"failure_reason\":null,\"results\":[],\"report\":null,"
                + "\"cost\":5,\"created_at\":\"2026-01-02T03:04:05.678Z\",\"started_at\":\"2026-01-02T03:04:06Z\","
                + "\"finished_at\":null,\"expires_at\":null}", answer(new TaskStore.View(t, List.of())));
    }

    @Test
    void aFailedTaskSaysWhyAndOffersNoFiles() {
        TaskStore.Task t = task("FAILED", 10, null, "the model has no triangles", null,
                Instant.parse("2026-01-02T03:04:06Z"), Instant.parse("2026-01-02T03:04:06.1Z"),
                Instant.parse("2026-01-09T03:04:06.1Z"));
        // Results only of a finished task, even where rows were passed.
        assertEquals("{\"task_id\":\"task_a\",\"tool\":\"convert\",\"status\":\"FAILED\",\"progress\":10,"
                + "\"stage\":null,\"failure_reason\":\"the model has no triangles\",\"results\":[],\"report\":null,"
                + "\"cost\":5,\"created_at\":\"2026-01-02T03:04:05.678Z\",\"started_at\":\"2026-01-02T03:04:06Z\","
                + "\"finished_at\":\"2026-01-02T03:04:06.100Z\",\"expires_at\":\"2026-01-09T03:04:06.100Z\"}",
                answer(new TaskStore.View(t, List.of(new TaskStore.Result("m.stl", "stl", 1)))));
    }
}
