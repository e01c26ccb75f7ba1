import { NavLink, Outlet } from 'react-router';

/** The account pages, one form each, under a shared heading and navigation. */
export function AccountLayout() {
  return (
    <section className="narrow">
      <h1>Account</h1>
      <nav aria-label="Account" className="views">
        <NavLink to="/account" end>
          Profile
        </NavLink>
        <NavLink to="/account/password">Password</NavLink>
        <NavLink to="/account/delete">Delete account</NavLink>
      </nav>
      <Outlet />
    </section>
  );
}
