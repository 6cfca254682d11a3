policy
