package dev.microbatch.engine.dstream;

/** The work of one partition of one stage; runs on a worker thread. */
@FunctionalInterface
public interface TaskBody<R> {
  R run(TaskContext task) throws Exception;
}
