job
